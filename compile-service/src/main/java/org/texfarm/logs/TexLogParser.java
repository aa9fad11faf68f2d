package org.texfarm.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.texfarm.logs.LogAnnotation.Level;

/**
 * Reads a TeX log ({@code output.log}) into annotations: errors in both the classic
 * ({@code ! message ... l.12}) and the {@code -file-line-error} ({@code ./file.tex:12: message})
 * format, LaTeX, package and class warnings (undefined references and citations, reruns), and
 * over- and underfull boxes, each with the file it happened in (from the log's nesting of
 * {@code (file ... )}), its line and the lines of the log it came from. TeX wraps log lines at
 * 79 characters; they are joined first. Any text is accepted: what it cannot read is skipped.
 */
public final class TexLogParser {
    /** TeX Live's max_print_line: a log line this long was wrapped. */
    static final int WRAP_COLUMN = 79;
    /** Past this many, the rest of a runaway log is left out. */
    static final int MAX_ANNOTATIONS = 500;
    private static final int MAX_EXCERPT_LINES = 8;
    private static final int MAX_EXCERPT_CHARS = 2000;
    private static final int LOOKAHEAD_LINES = 15;

    private static final Pattern FILE_LINE_ERROR = Pattern.compile("^(\\.{0,2}/?[^:\\s][^:]*\\.[A-Za-z0-9]+):(\\d+): (.*)$");
    private static final Pattern LINE_NUMBER = Pattern.compile("^l\\.(\\d+)");
    private static final Pattern WARNING = Pattern.compile(
            "^(LaTeX Font|LaTeX|Package (\\S+)|Class (\\S+)|pdfTeX) [Ww]arning(?: \\([^)]*\\))?: (.*)$");
    private static final Pattern INPUT_LINE = Pattern.compile("on input line (\\d+)");
    private static final Pattern BAD_BOX = Pattern.compile(
            "^((?:Over|Under)full \\\\[hv]box \\([^)]*\\)) (?:in paragraph|in alignment|detected) at lines? (\\d+)(?:--\\d+)?");
    private static final Pattern BAD_BOX_IN_OUTPUT = Pattern.compile("^((?:Over|Under)full \\\\[hv]box \\([^)]*\\)) has occurred");
    private static final Pattern FILE_NAME = Pattern.compile("^(?:\\.{0,2}/|[A-Za-z]:)?[^\\s()]*\\.[A-Za-z0-9]{1,8}$");

    private TexLogParser() {
    }

    public static List<LogAnnotation> parse(String log) {
        List<String> lines = unwrap(log);
        List<LogAnnotation> annotations = new ArrayList<>();
        Deque<String> files = new ArrayDeque<>();
        // Each reader returns the last line it used: the context TeX prints after a message quotes
        // the document, whose parentheses are not files.
        for (int i = 0; i < lines.size() && annotations.size() < MAX_ANNOTATIONS; i++) {
            String line = lines.get(i);
            Matcher fileLine = FILE_LINE_ERROR.matcher(line);
            if (line.startsWith("! ")) {
                i = error(lines, i, currentFile(files), null, line.substring(2), annotations);
            } else if (fileLine.matches()) {
                i = error(lines, i, relative(fileLine.group(1)), safeInteger(fileLine.group(2)), fileLine.group(3), annotations);
            } else if (WARNING.matcher(line).matches()) {
                i = warning(lines, i, currentFile(files), annotations);
            } else if (line.startsWith("Overfull") || line.startsWith("Underfull")) {
                i = badBox(lines, i, currentFile(files), annotations);
            } else {
                followFiles(line, files);
            }
        }
        return annotations;
    }

    /** The log's lines with TeX's wrapping at {@link #WRAP_COLUMN} undone. */
    static List<String> unwrap(String log) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : log.split("\r?\n", -1)) {
            current.append(line);
            if (line.length() != WRAP_COLUMN) {
                lines.add(current.toString());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    /**
     * Reads an error and its context, up to TeX's {@code l.N} line (the line number, when the
     * message had none) and the rest of that source line after it.
     */
    private static int error(List<String> lines, int at, String file, Integer line, String message,
                             List<LogAnnotation> annotations) {
        // TeX prints "Runaway argument?" and the argument so far just before the error.
        int from = at;
        for (int back = 1; back <= 2 && at - back >= 0; back++) {
            if (lines.get(at - back).startsWith("Runaway argument?")) {
                from = at - back;
            }
        }
        int to = at;
        Integer number = line;
        for (int i = at + 1; i < Math.min(lines.size(), at + LOOKAHEAD_LINES); i++) {
            Matcher sourceLine = LINE_NUMBER.matcher(lines.get(i));
            if (sourceLine.find()) {
                number = number != null ? number : safeInteger(sourceLine.group(1));
                to = Math.min(i + 1, lines.size() - 1);
                break;
            }
        }
        String text = from < at ? "Runaway argument: " + message : message;
        annotations.add(new LogAnnotation(Level.ERROR, file, number, text.strip(), excerpt(lines, from, to)));
        return to;
    }

    /** Reads a warning and its continuation lines; returns the index of its last line. */
    private static int warning(List<String> lines, int at, String file, List<LogAnnotation> annotations) {
        Matcher warning = WARNING.matcher(lines.get(at));
        if (!warning.matches()) {
            return at;
        }
        String kind = warning.group(1);
        String source = warning.group(2) != null ? warning.group(2) : warning.group(3) != null ? warning.group(3)
                : kind.equals("LaTeX Font") ? "Font" : null;
        StringBuilder message = new StringBuilder(warning.group(4).strip());
        int last = at;
        // A package's further lines start with its name in parentheses; LaTeX's own end with a full stop.
        String prefix = source != null ? "(" + source + ")" : null;
        for (int i = at + 1; i < lines.size() && i <= at + LOOKAHEAD_LINES && !kind.equals("pdfTeX"); i++) {
            String next = lines.get(i);
            boolean continues = prefix != null ? next.startsWith(prefix)
                    : !next.isBlank() && !message.toString().endsWith(".") && !next.startsWith("!");
            if (!continues) {
                break;
            }
            message.append(' ').append((prefix != null ? next.substring(prefix.length()) : next).strip());
            last = i;
        }
        String text = message.toString().replaceAll("\\s+", " ");
        Matcher inputLine = INPUT_LINE.matcher(text);
        Integer line = inputLine.find() ? safeInteger(inputLine.group(1)) : null;
        if (source != null) {
            text = source + ": " + text;
        }
        annotations.add(new LogAnnotation(Level.WARNING, file, line, text, excerpt(lines, at, last)));
        return last;
    }

    /** Reads a bad box and the line of the box's content after it. */
    private static int badBox(List<String> lines, int at, String file, List<LogAnnotation> annotations) {
        String line = lines.get(at);
        Matcher inParagraph = BAD_BOX.matcher(line);
        Integer number = null;
        String message;
        if (inParagraph.find()) {
            number = safeInteger(inParagraph.group(2));
            message = inParagraph.group(1);
        } else {
            Matcher inOutput = BAD_BOX_IN_OUTPUT.matcher(line);
            if (!inOutput.find()) {
                return at;
            }
            message = inOutput.group(1);
        }
        int last = Math.min(at + 1, lines.size() - 1);
        annotations.add(new LogAnnotation(Level.TYPESETTING, file, number, message, excerpt(lines, at, last)));
        return last;
    }

    /**
     * Follows TeX's report of the files it opens, {@code (./chapter.tex}, and closes, {@code )}.
     * Parentheses around other text are pushed as non-files, so that their closing pops them.
     */
    static void followFiles(String line, Deque<String> files) {
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '(') {
                int end = i + 1;
                String name;
                if (end < line.length() && line.charAt(end) == '"') {
                    int close = line.indexOf('"', end + 1);
                    name = close < 0 ? line.substring(end + 1) : line.substring(end + 1, close);
                    end = close < 0 ? line.length() : close + 1;
                } else {
                    while (end < line.length() && " ()[]{}<>".indexOf(line.charAt(end)) < 0) {
                        end++;
                    }
                    name = line.substring(i + 1, end);
                }
                files.push(FILE_NAME.matcher(name).matches() ? relative(name) : "");
                i = end;
            } else {
                if (c == ')' && !files.isEmpty()) {
                    files.pop();
                }
                i++;
            }
        }
    }

    private static String currentFile(Deque<String> files) {
        for (String file : files) {
            if (!file.isEmpty()) {
                return file;
            }
        }
        return null;
    }

    /** A path as the project knows it: {@code ./chapters/one.tex} is {@code chapters/one.tex}. */
    static String relative(String path) {
        String relative = path;
        while (relative.startsWith("./")) {
            relative = relative.substring(2);
        }
        return relative;
    }

    private static String excerpt(List<String> lines, int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i <= to && i < from + MAX_EXCERPT_LINES; i++) {
            if (i > from) {
                text.append('\n');
            }
            text.append(lines.get(i));
        }
        return text.length() > MAX_EXCERPT_CHARS ? text.substring(0, MAX_EXCERPT_CHARS) : text.toString();
    }

    /** A line number the log gives, or null when it is too large to be one. */
    static Integer safeInteger(String digits) {
        try {
            return Integer.valueOf(digits);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
