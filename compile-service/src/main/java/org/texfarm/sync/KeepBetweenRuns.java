package org.texfarm.sync;

import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which generated files stay in a compile directory from one compile to the next, as CLSI keeps
 * them: TeX's auxiliary files (so latexmk reruns only what changed), minted's and knitr's caches,
 * TikZ externalization, the project's font cache, and whatever the operator's pattern adds. Final products (PDF, log,
 * console output, SyncTeX) are always made afresh.
 */
public final class KeepBetweenRuns {
    /**
     * The project's font cache: fonts made from METAFONT sources of the image (VARTEXFONTS), so
     * that each is made once per project. Hidden, so never an output.
     */
    public static final String FONT_CACHE = ".texfarm-fonts";
    private static final Set<String> FINAL_PRODUCTS = Set.of(
            "output.pdf", "output.dvi", "output.xdv", "output.log", "output.stdout", "output.stderr",
            "output.synctex.gz", "output.synctex", "output.chktex");

    private final Pattern operatorPattern;

    /** @param operatorPattern a regular expression over relative paths of further files to keep, or null */
    public KeepBetweenRuns(Pattern operatorPattern) {
        this.operatorPattern = operatorPattern;
    }

    /** Whether the generated file at {@code path} (not a resource of the request) is kept. */
    public boolean keeps(ResourcePath path, Predicate<String> exists) {
        String text = path.toString();
        if (FINAL_PRODUCTS.contains(text)) {
            return false;
        }
        if (operatorPattern != null && operatorPattern.matcher(text).matches()) {
            return true;
        }
        String first = path.components().getFirst();
        if (first.startsWith("_minted") || first.equals(FONT_CACHE)
                || first.equals("cache") && path.components().size() > 1) {
            return true;
        }
        String name = path.fileName();
        if (path.components().size() == 1 && name.startsWith("output.")) {
            return true;
        }
        if (name.endsWith(".aux") || name.endsWith(".md5") || name.endsWith(".dpth")) {
            return true;
        }
        // TikZ externalize: figure.pdf next to the figure.md5 it was made from.
        return name.endsWith(".pdf") && exists.test(text.substring(0, text.length() - 4) + ".md5");
    }
}
