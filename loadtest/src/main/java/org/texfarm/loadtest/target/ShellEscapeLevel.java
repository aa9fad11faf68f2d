package org.texfarm.loadtest.target;

import java.util.Locale;

/**
 * The compile service's shell-escape levels, as bare latexmk must run them to do the same work:
 * texmf.cnf's {@code shell_escape} value and the engines' flag. The restricted list is the image's
 * own (its texmf.cnf names the service's). {@code BareTargetTest} checks both against the service.
 */
public enum ShellEscapeLevel {
    OFF("f", "-no-shell-escape"),
    RESTRICTED("p", "-shell-restricted"),
    FULL("t", "-shell-escape");

    final String texmfValue;
    final String engineFlag;

    ShellEscapeLevel(String texmfValue, String engineFlag) {
        this.texmfValue = texmfValue;
        this.engineFlag = engineFlag;
    }

    /**
     * Reads {@code off}, {@code restricted} or {@code full}, and {@code true} (full) or
     * {@code false} (off); the service also takes yes, no, on, 1 and 0.
     */
    public static ShellEscapeLevel parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "off", "false" -> OFF;
            case "restricted" -> RESTRICTED;
            case "full", "true" -> FULL;
            default -> throw new IllegalArgumentException("must be off, restricted or full, not '" + text + "'");
        };
    }
}
