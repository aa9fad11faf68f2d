package org.texfarm.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.texfarm.RunningService;
import org.texfarm.compile.CompileOptions;
import org.texfarm.compile.Engine;
import org.texfarm.compile.LatexmkCommand;
import org.texfarm.config.ServiceConfig;
import org.texfarm.sync.ResourcePath;

/**
 * Measures, in one run, bare latexmk against the service for three documents: (a) the first
 * compile of a new project, (b) a recompile after a one-word edit (against the bare rerun after
 * the same edit, aux files kept), (c) an unchanged recompile (against the bare first compile).
 * Prints medians and ratios as a Markdown table. Run it with {@code compile-service/benchmark}.
 */
public final class CompileBenchmark {
    private static final String EDIT_MARK = "EDITWORD";
    /** Idle time before each timed run, as a user edits between compiles; background work of either side happens then. */
    private static long pauseMillis;

    private CompileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int samples = Integer.parseInt(System.getProperty("samples", "7"));
        int warmup = Integer.parseInt(System.getProperty("warmup", "2"));
        pauseMillis = Long.parseLong(System.getProperty("pause", "1000"));
        List<String> documents = List.of(System.getProperty("documents", "hello,article,tikz").split(","));
        BareLatexmk bare = BareLatexmk.export(RunningService.IMAGE, Path.of("/var/tmp/texfarm-bench"));
        List<String> rows = new ArrayList<>();
        try (RunningService service = RunningService.start(Map.of("BUILDS_KEPT", "2"))) {
            for (String document : documents) {
                rows.add(measure(document, bare, service, samples, warmup));
            }
        }
        System.out.println();
        System.out.printf("%d samples after %d warm-up runs each, %d ms idle before each timed run; medians in ms;"
                + " ratio = service / bare.%n%n", samples, warmup, pauseMillis);
        System.out.println("| document | bare first | (a) service first | ratio | bare rerun after edit | (b) service after edit | ratio | (b) with precompiled preamble | (c) service unchanged | ratio to bare first |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String measure(String document, BareLatexmk bare, RunningService service, int samples, int warmup)
            throws Exception {
        Map<String, String> files = loadDocument(document);
        List<String> latexmk = LatexmkCommand.build(new CompileOptions(
                ServiceConfig.fromEnvironment(Map.of("DATA_DIR", "/tmp/unused")).groups().defaultGroup(),
                Engine.PDFLATEX, Duration.ofMinutes(5), false,
                false, List.of(), RunningService.IMAGE, null, false), ResourcePath.parse("main.tex", 100, 10), false, false);
        List<Long> bareFirst = new ArrayList<>();
        List<Long> bareEdit = new ArrayList<>();
        List<Long> serviceFirst = new ArrayList<>();
        List<Long> serviceEdit = new ArrayList<>();
        List<Long> serviceUnchanged = new ArrayList<>();
        long editsWithFormat = 0;

        for (int i = 0; i < warmup + samples; i++) {
            boolean record = i >= warmup;
            String name = document + "-" + i + "-" + System.nanoTime();

            // Bare: a fresh directory, then the same edit the service gets.
            Path dir = bare.newProjectDirectory(name);
            write(dir, files, "alpha");
            bare.chown(dir);
            pause();
            long first = bare.compile(dir, latexmk);
            write(dir, files, "beta");
            bare.chown(dir);
            pause();
            long edit = bare.compile(dir, latexmk);

            // The service: a new project, the edit, then the same request again.
            pause();
            long serviceA = timed(service, name, request(files, "alpha")).nanos();
            pause();
            Timed serviceB = timed(service, name, request(files, "beta"));
            pause();
            long serviceC = timed(service, name, request(files, "beta")).nanos();
            if (record) {
                bareFirst.add(first);
                bareEdit.add(edit);
                serviceFirst.add(serviceA);
                serviceEdit.add(serviceB.nanos());
                serviceUnchanged.add(serviceC);
                editsWithFormat += serviceB.stat("precompiled-preamble");
            }
            System.err.printf("%s sample %d: bare %d/%d ms, service %d/%d/%d ms%s%n", document, i, ms(first), ms(edit),
                    ms(serviceA), ms(serviceB.nanos()), ms(serviceC),
                    serviceB.stat("precompiled-preamble") == 1 ? " (edit with precompiled preamble)" : "");
        }
        long bf = median(bareFirst);
        long be = median(bareEdit);
        long sa = median(serviceFirst);
        long sb = median(serviceEdit);
        long sc = median(serviceUnchanged);
        return String.format("| %s | %d | %d | %.2f | %d | %d | %.2f | %d/%d | %d | %.3f |", document, ms(bf), ms(sa),
                (double) sa / bf, ms(be), ms(sb), (double) sb / be, editsWithFormat, samples, ms(sc), (double) sc / bf);
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(pauseMillis);
    }

    /** A service compile: how long the client waited, and what the service said. */
    private record Timed(long nanos, JsonObject compile) {
        long stat(String name) {
            return compile.getJsonObject("stats").getLong(name, 0L);
        }
    }

    /**
     * Posts a compile as an editor backend would, with a blocking HTTP/1.1 client on this thread
     * (kept-alive connections), so that the time is the service's and not a client's thread hand-offs.
     */
    private static Timed timed(RunningService service, String project, JsonObject request) throws IOException {
        byte[] body = request.encode().getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        HttpURLConnection connection = (HttpURLConnection) service.uri("/project/" + project + "/compile").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        byte[] answer;
        try (InputStream in = connection.getInputStream()) {
            answer = in.readAllBytes();
        }
        long elapsed = System.nanoTime() - start;
        JsonObject compile = new JsonObject(new String(answer, StandardCharsets.UTF_8)).getJsonObject("compile");
        if (!"success".equals(compile.getString("status"))) {
            throw new IllegalStateException("service compile of " + project + " failed: " + compile.encode());
        }
        return new Timed(elapsed, compile);
    }

    private static JsonObject request(Map<String, String> files, String word) {
        JsonArray resources = new JsonArray();
        files.forEach((path, content) -> resources.add(new JsonObject().put("path", path)
                .put("content", content.replace(EDIT_MARK, word))));
        return new JsonObject().put("compile", new JsonObject()
                .put("options", new JsonObject().put("compiler", "pdflatex").put("timeout", 300))
                .put("rootResourcePath", "main.tex")
                .put("resources", resources));
    }

    private static void write(Path dir, Map<String, String> files, String word) throws IOException {
        for (var file : files.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue().replace(EDIT_MARK, word));
        }
    }

    private static Map<String, String> loadDocument(String name) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (String file : List.of("main.tex", "refs.bib")) {
            try (InputStream in = CompileBenchmark.class.getResourceAsStream("/bench/" + name + "/" + file)) {
                if (in != null) {
                    files.put(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }
}
