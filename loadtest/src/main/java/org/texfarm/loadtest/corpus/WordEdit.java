package org.texfarm.loadtest.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * An editor's one-word edit: replaces a word of running text with another, as a user fixing a
 * typo does, so that TeX has to run again but the document stays valid. Only words in the body,
 * outside every brace or bracket group and comment, are candidates: never a command, a label, a
 * citation key or an option.
 */
public final class WordEdit {
    private static final List<String> REPLACEMENTS = List.of("quick", "brown", "clear", "plain", "early", "quiet",
            "bright", "simple", "steady", "gentle");
    /** Environments whose words are code, not prose (TikZ keywords, math, verbatim). */
    private static final Set<String> NOT_PROSE = Set.of("tikzpicture", "pgfpicture", "scope", "axis", "semilogxaxis",
            "semilogyaxis", "loglogaxis", "groupplot", "equation", "equation*", "align", "align*", "gather", "gather*",
            "multline", "multline*", "eqnarray", "eqnarray*", "displaymath", "math", "verbatim", "verbatim*",
            "lstlisting", "minted", "filecontents", "filecontents*", "comment");

    private WordEdit() {
    }

    /** The text with one word replaced, chosen by {@code random}; with a changed comment line if it has no word to change. */
    public static String apply(String text, Random random) {
        List<int[]> words = candidates(text);
        if (words.isEmpty()) {
            return text + "\n% edit " + random.nextInt(1_000_000) + "\n";
        }
        int[] word = words.get(random.nextInt(words.size()));
        String current = text.substring(word[0], word[1]);
        String replacement = REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size()));
        if (replacement.equals(current)) {
            replacement = REPLACEMENTS.get((REPLACEMENTS.indexOf(replacement) + 1) % REPLACEMENTS.size());
        }
        return text.substring(0, word[0]) + replacement + text.substring(word[1]);
    }

    /** Start and end of each lowercase word of running text after {@code \begin{document}}. */
    static List<int[]> candidates(String text) {
        int body = text.indexOf("\\begin{document}");
        int start = body < 0 ? 0 : body + "\\begin{document}".length();
        List<int[]> words = new ArrayList<>();
        int depth = 0;
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%' && (i == 0 || text.charAt(i - 1) != '\\')) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            } else if (c == '\\') {
                i = skipCommand(text, i);
            } else if (c == '{' || c == '[') {
                depth++;
                i++;
            } else if (c == '}' || c == ']') {
                depth = Math.max(0, depth - 1);
                i++;
            } else if (c == '$') {
                int end = text.indexOf('$', i + 1);
                i = end < 0 ? text.length() : end + 1;
            } else if (Character.isLowerCase(c) && depth == 0 && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                int end = i;
                while (end < text.length() && Character.isLowerCase(text.charAt(end))) {
                    end++;
                }
                boolean endsWord = end == text.length() || Character.isWhitespace(text.charAt(end))
                        || ".,;:".indexOf(text.charAt(end)) >= 0;
                if (endsWord && end - i >= 4) {
                    words.add(new int[] {i, end});
                }
                i = end;
            } else {
                i++;
            }
        }
        return words;
    }

    /** Past the command at {@code i}, and past the whole of display math or a code environment it opens. */
    private static int skipCommand(String text, int i) {
        if (text.startsWith("\\[", i) || text.startsWith("\\(", i)) {
            return past(text, text.charAt(i + 1) == '[' ? "\\]" : "\\)", i);
        }
        if (text.startsWith("\\begin{", i)) {
            int close = text.indexOf('}', i);
            String environment = close < 0 ? "" : text.substring(i + "\\begin{".length(), close);
            if (NOT_PROSE.contains(environment)) {
                return past(text, "\\end{" + environment + "}", i);
            }
        }
        int end = i + 1;
        if (end < text.length() && !Character.isLetter(text.charAt(end))) {
            return end + 1;
        }
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        return end;
    }

    private static int past(String text, String marker, int from) {
        int at = text.indexOf(marker, from + 1);
        return at < 0 ? text.length() : at + marker.length();
    }
}
