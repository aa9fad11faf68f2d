package org.texfarm.compile;

import java.util.Arrays;
import java.util.Locale;
import org.texfarm.InvalidRequestException;

/**
 * Whether and how chktex checks the main file before TeX runs (CLSI's {@code check} option): its
 * report is the build's {@code output.chktex}.
 */
public enum CheckMode {
    /** No check. */
    NONE,
    /** Check, then compile whatever chktex says. */
    SILENT,
    /** Check, and compile only when chktex finds no error. */
    ERROR,
    /** Check only: the compile answers {@code validation-pass} or {@code validation-fail}. */
    VALIDATE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode a request names: silent, error or validate; null for none. */
    public static CheckMode fromWireName(String name) {
        if (name == null) {
            return NONE;
        }
        return Arrays.stream(values()).filter(mode -> mode != NONE && mode.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("options.check must be silent, error or validate, not '"
                        + name + "'"));
    }
}
