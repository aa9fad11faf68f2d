package org.texfarm.sync;

import java.util.Set;

/**
 * Which generated files stay in a compile directory from one compile to the next, as CLSI keeps
 * them: TeX's auxiliary files (so latexmk reruns only what changed), minted's and knitr's caches
 * and TikZ externalization. Final products (PDF, log, console output) are always made afresh.
 */
public final class KeepBetweenRuns {
    private static final Set<String> FINAL_PRODUCTS = Set.of(
            "output.pdf", "output.dvi", "output.xdv", "output.log", "output.stdout", "output.stderr",
            "output.synctex.gz", "output.synctex");

    private KeepBetweenRuns() {
    }

    /** Whether the generated file at {@code path} (not a resource of the request) is kept. */
    public static boolean keeps(ResourcePath path, java.util.function.Predicate<String> exists) {
        String text = path.toString();
        String first = path.components().getFirst();
        if (FINAL_PRODUCTS.contains(text)) {
            return false;
        }
        if (first.startsWith("_minted") || first.equals("cache") && path.components().size() > 1) {
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
