package org.texfarm.config;

import java.util.List;
import java.util.Locale;

/**
 * How far TeX's {@code \write18} (and LuaTeX's {@code os.execute} and {@code io.popen}) may go:
 * TeX Live's three settings. Commands run inside the sandbox at every level.
 */
public enum ShellEscape {
    /** No command runs. */
    OFF("f", "-no-shell-escape"),
    /** Only {@link #RESTRICTED_COMMANDS}, with arguments TeX quotes: TeX Live's own default. */
    RESTRICTED("p", "-shell-restricted"),
    /** Any command, as Overleaf's images allow; R and knitr main files too. */
    FULL("t", "-shell-escape");

    /**
     * The commands restricted shell escape may run: TeX Live 2024's list without its Java and
     * Python programs ({@code texosquery-jre8}, {@code latexminted}, {@code memoize-extract.py}).
     * Python runs code that it finds under {@code $HOME} ({@code .pth} files, latexminted's custom
     * lexers), and LuaTeX's {@code io.open} can write there. The image's texmf.cnf names the same
     * list, and docs/security.md says why each is safe enough; a name an image lacks runs nothing.
     */
    public static final List<String> RESTRICTED_COMMANDS = List.of("bibtex", "bibtex8", "extractbb", "gregorio",
            "kpsewhich", "l3sys-query", "makeindex", "memoize-extract.pl", "repstopdf", "r-mpost");

    private final String texmfValue;
    private final String engineFlag;

    ShellEscape(String texmfValue, String engineFlag) {
        this.texmfValue = texmfValue;
        this.engineFlag = engineFlag;
    }

    /** The value of texmf.cnf's {@code shell_escape}: {@code f}, {@code p} or {@code t}. */
    public String texmfValue() {
        return texmfValue;
    }

    /** The TeX engines' (and latexmk's) option for this level. */
    public String engineFlag() {
        return engineFlag;
    }

    /** As settings and the API spell it: {@code off}, {@code restricted}, {@code full}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a setting: {@code off}, {@code restricted} or {@code full}; {@code true} (or
     * {@code yes}, {@code on}, {@code 1}) means full and {@code false} ({@code no}, {@code 0}) off,
     * as the setting meant when it was a flag.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ShellEscape parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "off", "false", "no", "0" -> OFF;
            case "restricted" -> RESTRICTED;
            case "full", "true", "yes", "on", "1" -> FULL;
            default -> throw new IllegalArgumentException("must be off, restricted or full (true means full, false off), not '"
                    + text + "'");
        };
    }
}
