package org.texfarm.loadtest.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The documents a load test compiles: the built-in ones (a hello world, a 10-page article with a
 * bibliography, a TikZ/pgfplots-heavy document, a page in T1-encoded fonts with a METAFONT-only
 * font, a 60-page multi-file thesis with images) and a user's folder of projects.
 */
public final class Corpus {
    public static final List<String> BUILT_IN = List.of("hello", "article", "tikz", "t1", "thesis");
    private static final Map<String, List<String>> RESOURCE_FILES = Map.of(
            "hello", List.of("main.tex"),
            "article", List.of("main.tex", "refs.bib"),
            "tikz", List.of("main.tex"),
            "t1", List.of("main.tex"));
    private static final long MAX_PROJECT_BYTES = 256L << 20;

    private Corpus() {
    }

    /** A built-in document by name. */
    public static Document builtIn(String name) {
        if (name.equals("thesis")) {
            return new Document("thesis", "pdflatex", "main.tex", "chapters/chapter1.tex", ThesisGenerator.files());
        }
        List<String> paths = RESOURCE_FILES.get(name);
        if (paths == null) {
            throw new IllegalArgumentException("no built-in document '" + name + "'; built in: " + String.join(", ", BUILT_IN));
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String path : paths) {
            try (InputStream in = Corpus.class.getResourceAsStream("/corpus/" + name + "/" + path)) {
                if (in == null) {
                    throw new IllegalStateException("the built-in document " + name + " lacks " + path);
                }
                files.put(path, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Document(name, "pdflatex", "main.tex", "main.tex", files);
    }

    /**
     * The projects in a folder: each subfolder with a {@code main.tex} is one (named after the
     * subfolder), or the folder itself when it has a {@code main.tex}. Hidden files are skipped.
     */
    public static List<Document> folder(Path folder, String compiler) throws IOException {
        if (Files.isRegularFile(folder.resolve("main.tex"))) {
            return List.of(project(folder, compiler));
        }
        List<Document> projects = new ArrayList<>();
        try (Stream<Path> children = Files.list(folder).sorted()) {
            for (Path child : children.toList()) {
                if (Files.isDirectory(child) && Files.isRegularFile(child.resolve("main.tex"))) {
                    projects.add(project(child, compiler));
                }
            }
        }
        if (projects.isEmpty()) {
            throw new IllegalArgumentException(folder + " has no main.tex, and no subfolder with one");
        }
        return projects;
    }

    private static Document project(Path dir, String compiler) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        long total = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                Path relative = dir.relativize(file);
                if (relative.toString().startsWith(".") || relative.toString().contains("/.")) {
                    continue;
                }
                total += Files.size(file);
                if (total > MAX_PROJECT_BYTES) {
                    throw new IllegalArgumentException(dir + " holds more than " + (MAX_PROJECT_BYTES >> 20) + " MiB");
                }
                files.put(relative.toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return new Document(dir.getFileName().toString(), compiler, "main.tex", "main.tex", files);
    }
}
