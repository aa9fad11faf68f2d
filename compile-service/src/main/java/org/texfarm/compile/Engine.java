package org.texfarm.compile;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.texfarm.InvalidRequestException;

/** The TeX engines a compile may use, with latexmk's option for each. */
public enum Engine {
    PDFLATEX("pdflatex", "-pdf"),
    LATEX("latex", "-pdfdvi"),
    XELATEX("xelatex", "-xelatex"),
    LUALATEX("lualatex", "-lualatex");

    private final String wireName;
    private final String latexmkOption;

    Engine(String wireName, String latexmkOption) {
        this.wireName = wireName;
        this.latexmkOption = latexmkOption;
    }

    public String wireName() {
        return wireName;
    }

    public String latexmkOption() {
        return latexmkOption;
    }

    public static Engine fromWireName(String name) {
        for (Engine engine : values()) {
            if (engine.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return engine;
            }
        }
        throw new InvalidRequestException("unknown compiler '" + name + "': use one of "
                + Arrays.stream(values()).map(Engine::wireName).collect(Collectors.joining(", ")));
    }
}
