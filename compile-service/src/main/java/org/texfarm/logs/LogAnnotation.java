package org.texfarm.logs;

import java.util.Locale;

/**
 * One thing a TeX, BibTeX or Biber log says about the document.
 *
 * @param level   how bad it is
 * @param file    the file it is about, relative to the project when it is the project's ({@code ./} dropped);
 *                as the log names it otherwise; null when the log does not say
 * @param line    the line in that file, or null when the log does not say
 * @param message what the log says, on one line
 * @param excerpt the lines of the log it was read from
 */
public record LogAnnotation(Level level, String file, Integer line, String message, String excerpt) {

    /** Errors stop or spoil the output; warnings may; typesetting notes are bad boxes. */
    public enum Level {
        ERROR, WARNING, TYPESETTING;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
