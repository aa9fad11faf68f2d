package org.texfarm.compile;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The part of a root file that a format can hold: every line before the one where the document
 * starts, that is, the first line whose uncommented text has {@code \begin{document}} or
 * mylatexformat's {@code \endofdump}. A compile with the format skips to that line and reads it
 * and the rest as usual, so what is dumped is exactly these lines.
 *
 * @param text the lines, byte for byte (as ISO-8859-1: TeX's syntax here is ASCII, whatever the
 *             file's encoding)
 */
record Preamble(String text) {
    private static final Pattern START = Pattern.compile("\\\\begin\\s*\\{document\\}|\\\\endofdump(?![A-Za-z@])");
    /** What makes a preamble slow to read: packages, inputs, or a class other than LaTeX's own light ones. */
    private static final Pattern LOADS = Pattern.compile("\\\\(usepackage|RequirePackage|input|include|LoadClass)(?![A-Za-z@])");
    private static final Pattern STANDARD_CLASS = Pattern.compile(
            "\\\\documentclass\\s*(\\[[^\\]]*\\])?\\s*\\{\\s*(article|report|book|letter|minimal|proc|slides)\\s*\\}");

    /** The preamble of a root file, if the document starts in it (and not in a file it inputs) after some preamble. */
    static Optional<Preamble> of(byte[] root) {
        String content = new String(root, StandardCharsets.ISO_8859_1);
        int lineStart = 0;
        while (lineStart < content.length()) {
            int newline = content.indexOf('\n', lineStart);
            int lineEnd = newline < 0 ? content.length() : newline;
            if (START.matcher(uncommented(content.substring(lineStart, lineEnd))).find()) {
                String text = content.substring(0, lineStart);
                return text.isBlank() ? Optional.empty() : Optional.of(new Preamble(text));
            }
            lineStart = lineEnd + 1;
        }
        return Optional.empty();
    }

    /**
     * Whether a format would save a compile any time: LaTeX reads its own standard classes in
     * milliseconds, so a preamble that loads nothing else is not worth a dump (a TeX run in the
     * background, and a format of several MB to load instead).
     */
    boolean worthDumping() {
        String code = text.lines().map(Preamble::uncommented).collect(Collectors.joining("\n"));
        return LOADS.matcher(code).find() || (code.contains("\\documentclass") && !STANDARD_CLASS.matcher(code).find());
    }

    byte[] bytes() {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The root file to dump: the preamble, then the end of the dump. */
    byte[] dumpSource() {
        return (text + "\\endofdump\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A line up to its comment: a {@code %} that no backslash escapes. */
    private static String uncommented(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '%') {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
