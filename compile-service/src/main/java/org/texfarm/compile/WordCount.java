package org.texfarm.compile;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * texcount's summary of a file and the files it includes, in CLSI's {@code wordcount} fields.
 *
 * @param encode      the encoding texcount read the files in
 * @param textWords   words in running text
 * @param headWords   words in headings
 * @param outside     words outside running text (captions and the like)
 * @param headers     headings
 * @param elements    floats, tables and figures
 * @param mathInline  inline formulas
 * @param mathDisplay displayed formulas
 * @param errors      errors texcount reported
 * @param messages    texcount's error and warning lines ({@code !!! ...}), one per line
 */
public record WordCount(String encode, int textWords, int headWords, int outside, int headers, int elements,
                        int mathInline, int mathDisplay, int errors, String messages) {
    private static final Pattern FIELD = Pattern.compile("^([^:]+):\\s*(.*)$");
    private static final Pattern ERRORS = Pattern.compile("^\\(errors:(\\d+)\\)");
    private static final Pattern LEADING_DIGITS = Pattern.compile("^\\d+");
    /** What names each counted field, in the record's order; the first that a line's name contains wins. */
    private static final List<String> COUNTED = List.of("in text", "in head", "outside", "of head",
            "Number of floats/tables/figures", "Number of math inlines", "Number of math displayed");

    /** Reads {@code texcount -nocol -inc} output as CLSI does, field by field; unknown lines are skipped. */
    static WordCount parse(String output) {
        String encode = "";
        int[] counts = new int[8];
        StringBuilder messages = new StringBuilder();
        for (String line : output.split("\r?\n")) {
            if (line.contains("!!! ")) {
                messages.append(line.strip()).append('\n');
            }
            Matcher errors = ERRORS.matcher(line.strip());
            if (errors.find()) {
                counts[7] = number(errors.group(1));
                continue;
            }
            Matcher field = FIELD.matcher(line);
            if (!field.matches()) {
                continue;
            }
            String name = field.group(1);
            String value = field.group(2).strip();
            if (name.contains("Encoding")) {
                encode = value;
                continue;
            }
            for (int count = 0; count < COUNTED.size(); count++) {
                if (name.contains(COUNTED.get(count))) {
                    counts[count] = number(value);
                    break;
                }
            }
        }
        return new WordCount(encode, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7],
                messages.toString());
    }

    private static int number(String text) {
        Matcher digits = LEADING_DIGITS.matcher(text);
        if (!digits.find()) {
            return 0;
        }
        try {
            return Integer.parseInt(digits.group());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
