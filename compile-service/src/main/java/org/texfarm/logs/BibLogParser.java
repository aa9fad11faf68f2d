package org.texfarm.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.texfarm.logs.LogAnnotation.Level;

/**
 * Reads a BibTeX or Biber log ({@code output.blg}) into annotations: BibTeX's
 * {@code Warning--...} lines and its errors ({@code ...---line N of file refs.bib}, a database or
 * style file it could not open), Biber's {@code WARN} and {@code ERROR} lines.
 */
public final class BibLogParser {
    private static final Pattern BIBTEX_WARNING = Pattern.compile("^Warning--(.*)$");
    private static final Pattern BIBTEX_WARNING_PLACE = Pattern.compile("^--line (\\d+) of file (.*)$");
    private static final Pattern BIBTEX_ERROR = Pattern.compile("^(.*)---line (\\d+) of file (.*)$");
    private static final Pattern BIBTEX_CANNOT_OPEN = Pattern.compile("^I couldn't open (?:database|style|auxiliary) file (.*)$");
    private static final Pattern BIBER = Pattern.compile("^(?:\\[\\d+\\] )?(?:\\S+> )?(WARN|ERROR) - (.*)$");

    private BibLogParser() {
    }

    public static List<LogAnnotation> parse(String log) {
        List<LogAnnotation> annotations = new ArrayList<>();
        String[] lines = log.split("\r?\n");
        for (int i = 0; i < lines.length && annotations.size() < TexLogParser.MAX_ANNOTATIONS; i++) {
            String line = lines[i];
            Matcher warning = BIBTEX_WARNING.matcher(line);
            Matcher error = BIBTEX_ERROR.matcher(line);
            Matcher cannotOpen = BIBTEX_CANNOT_OPEN.matcher(line);
            Matcher biber = BIBER.matcher(line);
            if (warning.matches()) {
                Matcher place = i + 1 < lines.length ? BIBTEX_WARNING_PLACE.matcher(lines[i + 1]) : null;
                if (place != null && place.matches()) {
                    annotations.add(new LogAnnotation(Level.WARNING, TexLogParser.relative(place.group(2).strip()),
                            TexLogParser.safeInteger(place.group(1)), warning.group(1).strip(), line + "\n" + lines[i + 1]));
                    i++;
                } else {
                    annotations.add(new LogAnnotation(Level.WARNING, null, null, warning.group(1).strip(), line));
                }
            } else if (error.matches()) {
                annotations.add(new LogAnnotation(Level.ERROR, TexLogParser.relative(error.group(3).strip()),
                        TexLogParser.safeInteger(error.group(2)), error.group(1).strip(), line));
            } else if (cannotOpen.matches()) {
                annotations.add(new LogAnnotation(Level.ERROR, TexLogParser.relative(cannotOpen.group(1).strip()), null,
                        line.strip(), line));
            } else if (biber.matches()) {
                annotations.add(new LogAnnotation(biber.group(1).equals("ERROR") ? Level.ERROR : Level.WARNING, null, null,
                        biber.group(2).strip(), line));
            }
        }
        return annotations;
    }
}
