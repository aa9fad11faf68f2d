package org.texfarm.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.texfarm.sync.ResourcePath;

/**
 * The annotations of a build's logs: TeX's {@code output.log}, then BibTeX's or Biber's
 * {@code output.blg}, each naming files by their path in the project.
 */
public final class BuildLogs {
    public static final String TEX_LOG = "output.log";
    public static final String BIBLIOGRAPHY_LOG = "output.blg";

    private BuildLogs() {
    }

    /**
     * @param files            a build's file by name, when it has it
     * @param compileDirectory where the project was while TeX ran (files found through latexmk's
     *                         output directory are named under it)
     * @param root             the main file: TeX worked in its folder, and names other files from there
     */
    public static List<LogAnnotation> annotations(Function<String, Optional<Path>> files, String compileDirectory,
                                                  ResourcePath root) throws IOException {
        List<LogAnnotation> annotations = new ArrayList<>();
        Optional<Path> texLog = files.apply(TEX_LOG);
        if (texLog.isPresent()) {
            annotations.addAll(TexLogParser.parse(read(texLog.get())));
        }
        Optional<Path> bibliographyLog = files.apply(BIBLIOGRAPHY_LOG);
        if (bibliographyLog.isPresent()) {
            annotations.addAll(BibLogParser.parse(read(bibliographyLog.get())));
        }
        List<String> folder = root.components().subList(0, root.components().size() - 1);
        return annotations.stream().limit(TexLogParser.MAX_ANNOTATIONS)
                .map(a -> new LogAnnotation(a.level(), projectPath(a.file(), compileDirectory, folder), a.line(), a.message(), a.excerpt()))
                .toList();
    }

    /**
     * The project path of a file TeX named from {@code folder}: relative names resolve there, names
     * under the compile directory lose it; other absolute names (TeX Live's own files) stay.
     */
    static String projectPath(String file, String compileDirectory, List<String> folder) {
        if (file == null) {
            return null;
        }
        Deque<String> parts = new ArrayDeque<>();
        String path = file;
        if (file.startsWith(compileDirectory + "/")) {
            path = file.substring(compileDirectory.length() + 1);
        } else if (file.startsWith("/")) {
            return file;
        } else {
            parts.addAll(folder);
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return file;
                }
                parts.removeLast();
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    /** A log as text: TeX writes file names and messages in the document's bytes, not always UTF-8. */
    private static String read(Path log) throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    }
}
