package org.texfarm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The part of docs/clsi-compatibility.md between its known-failures markers: a table made from
 * {@value KnownFailure#SOURCE}. {@link #main} rewrites it ({@value #REGENERATE}, from the repository);
 * ClsiCompatibilityDocTest fails while it is out of date.
 */
public final class ClsiCompatibilityDoc {
    static final String BEGIN = "<!-- known-failures:begin -->";
    static final String END = "<!-- known-failures:end -->";
    static final String REGENERATE = "./mvnw -q -pl compile-service test-compile exec:java"
            + " -Dexec.classpathScope=test -Dexec.mainClass=org.texfarm.ClsiCompatibilityDoc";

    private ClsiCompatibilityDoc() {
    }

    public static void main(String[] args) throws IOException {
        Path doc = file();
        Files.writeString(doc, withSection(Files.readString(doc), render(KnownFailure.load())));
        System.out.println("rewrote the known-failures section of " + doc);
    }

    /** docs/clsi-compatibility.md, found from the module's directory (tests) or the repository's (exec:java). */
    static Path file() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("compile-service/pom.xml"))) {
                return dir.resolve("docs/clsi-compatibility.md");
            }
        }
        throw new IllegalStateException("not inside the repository: " + Path.of("").toAbsolutePath());
    }

    /** What belongs between the markers, from the line break after the first to the start of the second. */
    static String render(List<KnownFailure> failures) {
        long flaky = failures.stream().filter(KnownFailure::flaky).count();
        StringBuilder text = new StringBuilder("\n<!-- Made from ")
                .append(KnownFailure.SOURCE).append(" by ClsiCompatibilityDoc: edit that file, then regenerate. -->\n\n")
                .append(failures.size()).append(" tests are listed")
                .append(flaky == 0 ? "" : ", " + flaky + " of them flaky").append(".\n\n")
                .append("| Test | Reason | Until |\n|---|---|---|\n");
        for (KnownFailure failure : failures) {
            text.append("| ").append(cell(failure.test())).append(" | ").append(cell(failure.reason()))
                    .append(failure.flaky() ? " Flaky: it may pass." : "")
                    .append(" | ").append(failure.until() == null ? "" : cell(failure.until())).append(" |\n");
        }
        return text.toString();
    }

    /** What is between the markers now. */
    static String section(String doc) {
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END, Math.max(begin, 0));
        if (begin < 0 || end < 0) {
            throw new IllegalStateException("the document lacks the markers " + BEGIN + " ... " + END);
        }
        return doc.substring(begin + BEGIN.length(), end);
    }

    static String withSection(String doc, String section) {
        int begin = doc.indexOf(BEGIN) + BEGIN.length();
        return doc.substring(0, begin) + section + doc.substring(begin + section(doc).length());
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replaceAll("\\s*\\n\\s*", " ");
    }
}
