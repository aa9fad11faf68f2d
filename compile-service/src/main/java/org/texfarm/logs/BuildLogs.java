package org.texfarm.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The annotations of a build's logs: TeX's {@code output.log}, then BibTeX's or Biber's {@code output.blg}. */
public final class BuildLogs {
    public static final String TEX_LOG = "output.log";
    public static final String BIBLIOGRAPHY_LOG = "output.blg";

    private BuildLogs() {
    }

    /** @param files a build's file by name, when it has it */
    public static List<LogAnnotation> annotations(Function<String, Optional<Path>> files) throws IOException {
        List<LogAnnotation> annotations = new ArrayList<>();
        Optional<Path> texLog = files.apply(TEX_LOG);
        if (texLog.isPresent()) {
            annotations.addAll(TexLogParser.parse(read(texLog.get())));
        }
        Optional<Path> bibliographyLog = files.apply(BIBLIOGRAPHY_LOG);
        if (bibliographyLog.isPresent()) {
            annotations.addAll(BibLogParser.parse(read(bibliographyLog.get())));
        }
        return annotations.size() > TexLogParser.MAX_ANNOTATIONS
                ? annotations.subList(0, TexLogParser.MAX_ANNOTATIONS) : annotations;
    }

    /** A log as text: TeX writes file names and messages in the document's bytes, not always UTF-8. */
    private static String read(Path log) throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    }
}
