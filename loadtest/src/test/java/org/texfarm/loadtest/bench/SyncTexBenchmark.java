package org.texfarm.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.texfarm.RunningService;
import org.texfarm.loadtest.corpus.Corpus;
import org.texfarm.loadtest.corpus.Document;
import org.texfarm.loadtest.corpus.FileServer;
import org.texfarm.loadtest.target.Outcome;
import org.texfarm.loadtest.target.ServiceTarget;
import org.texfarm.loadtest.workload.CompileKind;
import org.texfarm.loadtest.workload.Project;

/**
 * Measures SyncTeX queries on real builds, one at a time as an editor's clicks come: from a line
 * to the PDF and from a PDF point to the source, on a cached build, and the first query after a
 * compile, at once and a second later (the service reads a new build's data right after the
 * compile for projects that use SyncTeX); against the way CLSI answers, the synctex tool in a new
 * container per click. Prints medians and p99 as a Markdown table. Run it with
 * {@code compile-service/benchmark synctex}.
 */
public final class SyncTexBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SyncTexBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int samples = Integer.parseInt(System.getProperty("samples", "2000"));
        int compiles = Integer.parseInt(System.getProperty("compiles", "21"));
        int warmup = Integer.parseInt(System.getProperty("warmup", "3"));
        List<String> documents = List.of(System.getProperty("documents", "article,thesis").split(","));
        List<String> rows = new ArrayList<>();
        try (FileServer files = FileServer.start("127.0.0.1");
             RunningService service = RunningService.start(Map.of("BUILDS_KEPT", "2", "URL_ALLOWED_HOSTS", "127.0.0.1"));
             ServiceTarget compiler = new ServiceTarget(new ServiceTarget.Settings(service.uri("/"), null,
                     Duration.ofMinutes(5), 300, null), files)) {
            for (String name : documents) {
                rows.add(measure(Corpus.builtIn(name), service, compiler, samples, compiles, warmup));
            }
        }
        System.out.println();
        System.out.printf("Warm: %d queries each after %d warm-up queries; first query after a compile: %d compiles"
                + " each way after %d warm-up; the synctex tool in a new container: %d runs after %d warm-up."
                + " Medians / p99 in ms.%n%n", samples, samples / 10, compiles, warmup, Math.max(5, compiles / 2), warmup);
        System.out.println("| document | pages | line to PDF (warm) | PDF to line (warm) | first query, at once after a compile"
                + " | first query, 1 s after a compile | synctex tool in a new container (as CLSI) | ratio of medians, warm / container |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String measure(Document document, RunningService service, ServiceTarget compiler, int samples,
                                  int compiles, int warmup) throws Exception {
        String id = "synctex-" + document.name() + "-" + System.nanoTime();
        Project project = new Project(id, document, 1);
        compile(compiler, project, CompileKind.FIRST);
        List<String[]> lines = new ArrayList<>();
        project.files().forEach((path, content) -> {
            if (path.endsWith(".tex")) {
                long count = new String(content, StandardCharsets.UTF_8).lines().count();
                for (int line = 1; line <= count; line++) {
                    lines.add(new String[] {path, Integer.toString(line)});
                }
            }
        });
        String prefix = "/project/" + id + "/sync/";
        int pages = pages(service, prefix, lines);
        Random random = new Random(42);

        List<Double> fromCode = new ArrayList<>();
        List<Double> fromPdf = new ArrayList<>();
        for (int i = 0; i < samples + samples / 10; i++) {
            String[] line = lines.get(random.nextInt(lines.size()));
            double code = timed(service.uri(prefix + "code?file=" + encode(line[0]) + "&line=" + line[1] + "&column=0"));
            double pdf = timed(service.uri(prefix + "pdf?page=" + (1 + random.nextInt(pages)) + "&h="
                    + (72 + random.nextInt(468)) + "&v=" + (72 + random.nextInt(648))));
            if (i >= samples / 10) {
                fromCode.add(code);
                fromPdf.add(pdf);
            }
        }

        // The first click after a compile: at once (it waits for the build's data being read), and
        // a second later, as an editor clicks once the new PDF shows (it was read ahead by then).
        List<Double> first = new ArrayList<>();
        List<Double> second = new ArrayList<>();
        for (int i = 0; i < warmup + compiles; i++) {
            for (List<Double> kind : List.of(first, second)) {
                project.editAWord();
                compile(compiler, project, CompileKind.EDIT);
                if (kind == second) {
                    Thread.sleep(1000);
                }
                String[] line = lines.get(random.nextInt(lines.size()));
                double millis = timed(service.uri(prefix + "code?file=" + encode(line[0]) + "&line=" + line[1]));
                if (i >= warmup) {
                    kind.add(millis);
                }
            }
        }

        List<Double> container = new ArrayList<>();
        Path build = service.dataDir().resolve("builds/p").resolve(id).resolve(latestBuild(service, id));
        for (int i = 0; i < warmup + Math.max(5, compiles / 2); i++) {
            String[] line = lines.get(random.nextInt(lines.size()));
            double millis = synctexInNewContainer(build, line[0], line[1]);
            if (i >= warmup) {
                container.add(millis);
            }
        }
        System.err.printf("%s: %d pages, warm %.2f/%.2f ms, first %.1f/%.2f ms, container %.0f ms%n", document.name(), pages,
                percentile(fromCode, 50), percentile(fromPdf, 50), percentile(first, 50), percentile(second, 50),
                percentile(container, 50));
        return String.format(Locale.ROOT, "| %s | %d | %.2f / %.2f | %.2f / %.2f | %.1f / %.1f | %.2f / %.2f | %.0f / %.0f | %.4f |",
                document.name(), pages, percentile(fromCode, 50), percentile(fromCode, 99),
                percentile(fromPdf, 50), percentile(fromPdf, 99), percentile(first, 50), percentile(first, 99),
                percentile(second, 50), percentile(second, 99), percentile(container, 50), percentile(container, 99),
                percentile(fromCode, 50) / percentile(container, 50));
    }

    private static void compile(ServiceTarget compiler, Project project, CompileKind kind) throws InterruptedException {
        Outcome outcome = compiler.compile(project, kind);
        if (!outcome.succeeded()) {
            throw new IllegalStateException("compile of " + project.id() + " failed: " + outcome.status() + " " + outcome.error());
        }
    }

    /** The highest page any line maps to. */
    private static int pages(RunningService service, String prefix, List<String[]> lines) throws IOException {
        int pages = 1;
        for (String[] line : lines) {
            for (JsonNode box : get(service.uri(prefix + "code?file=" + encode(line[0]) + "&line=" + line[1])).path("pdf")) {
                pages = Math.max(pages, box.path("page").asInt());
            }
        }
        return pages;
    }

    private static String latestBuild(RunningService service, String id) throws IOException {
        try (var builds = java.nio.file.Files.list(service.dataDir().resolve("builds/p").resolve(id))) {
            return builds.map(path -> path.getFileName().toString()).filter(name -> !name.startsWith("."))
                    .max((a, b) -> Long.compare(Long.parseLong(a.substring(0, a.indexOf('-')), 16),
                            Long.parseLong(b.substring(0, b.indexOf('-')), 16))).orElseThrow();
        }
    }

    /** One click as CLSI answers it: the synctex tool in a container started for it. */
    private static double synctexInNewContainer(Path build, String file, String line) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder("docker", "run", "--rm", "--network", "none", "--user", "0",
                "-v", build + ":/slot/work:ro", "-w", "/slot/work", RunningService.IMAGE,
                "synctex", "view", "-i", line + ":0:/slot/work/" + file, "-o", "output.pdf")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0 || !output.contains("SyncTeX result")) {
            throw new IllegalStateException("synctex in a container failed: " + output);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static double timed(URI uri) throws IOException {
        long start = System.nanoTime();
        get(uri);
        return (System.nanoTime() - start) / 1e6;
    }

    /** A GET with a blocking HTTP/1.1 client on this thread (kept-alive connections), as an editor backend's. */
    private static JsonNode get(URI uri) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try (InputStream in = connection.getInputStream()) {
            return JSON.readTree(in.readAllBytes());
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static double percentile(List<Double> values, double percentile) {
        List<Double> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(percentile / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
