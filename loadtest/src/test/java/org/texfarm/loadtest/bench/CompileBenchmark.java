package org.texfarm.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.texfarm.RunningService;
import org.texfarm.loadtest.corpus.Corpus;
import org.texfarm.loadtest.corpus.Document;
import org.texfarm.loadtest.target.BareTarget;
import org.texfarm.loadtest.target.ShellEscapeLevel;
import org.texfarm.loadtest.target.ImageRoot;
import org.texfarm.loadtest.target.Outcome;
import org.texfarm.loadtest.target.ServiceTarget;
import org.texfarm.loadtest.workload.CompileKind;
import org.texfarm.loadtest.workload.Project;

/**
 * Measures, in one run, bare latexmk against the service for built-in documents, one compile at
 * a time: (a) the first compile of a new project, (b) a recompile after a one-word edit (against
 * the bare rerun after the same edit, aux files kept), (c) an unchanged recompile (against the
 * bare first compile). Prints medians and ratios as a Markdown table, then what a sandbox started
 * on demand costs (the pool's start-up, per container). The sandboxes run under {@code runtime}
 * (runc, or runsc for gVisor). Run it with {@code compile-service/benchmark}.
 */
public final class CompileBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Idle time before each timed run, as a user edits between compiles; background work of either side happens then. */
    private static long pauseMillis;

    private CompileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int samples = Integer.parseInt(System.getProperty("samples", "7"));
        int warmup = Integer.parseInt(System.getProperty("warmup", "2"));
        pauseMillis = Long.parseLong(System.getProperty("pause", "1000"));
        List<String> documents = List.of(System.getProperty("documents", "hello,article,tikz").split(","));
        String runtime = System.getProperty("runtime", "runc");
        ImageRoot root = ImageRoot.export(RunningService.IMAGE, Path.of("/var/tmp/texfarm-bench"));
        List<String> rows = new ArrayList<>();
        List<String> stageRows = new ArrayList<>();
        try (RunningService service = RunningService.start(Map.of("BUILDS_KEPT", "2", "SANDBOX_RUNTIME", runtime));
             BareTarget bare = new BareTarget(root, ShellEscapeLevel.RESTRICTED, 600);
             ServiceTarget requests = new ServiceTarget(new ServiceTarget.Settings(service.uri("/"), null,
                     Duration.ofMinutes(5), 300, null), null)) {
            for (String document : documents) {
                rows.add(measure(Corpus.builtIn(document), bare, requests, service, samples, warmup, stageRows));
            }
        }
        String coldStarts = coldStarts(runtime, samples, warmup);
        System.out.println();
        System.out.printf("Sandboxes under %s. %d samples after %d warm-up runs each, %d ms idle before each timed run;"
                + " medians in ms; ratio = service / bare.%n%n", runtime, samples, warmup, pauseMillis);
        System.out.println("| document | bare first | (a) service first | ratio | bare rerun after edit | (b) service after edit | ratio | (b) with precompiled preamble | (c) service unchanged | ratio to bare first |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("The service's edits (b) by stage, medians in ms: CLSI's `compile` (the sandbox's acquisition,"
                + " `texfarm.timings.sandbox`, then latexmk, the launcher's reset and its report) and the rest (sync, outputs,"
                + " HTTP), against the bare rerun.");
        System.out.println();
        System.out.println("| document | bare rerun after edit | (b) sandbox | (b) compile | (b) rest |");
        System.out.println("|---|---|---|---|---|");
        stageRows.forEach(System.out::println);
        System.out.println();
        System.out.println("| runtime | sandbox started on demand (`texfarm.timings.sandbox`) | hello world in it, end to end |");
        System.out.println("|---|---|---|");
        System.out.println(coldStarts);
    }

    /** A pool of none: each compile of a new hello-world project waits for its sandbox to start. */
    private static String coldStarts(String runtime, int samples, int warmup) throws Exception {
        List<Long> starts = new ArrayList<>();
        List<Long> compiles = new ArrayList<>();
        try (RunningService service = RunningService.start(Map.of("SANDBOX_POOL_SIZE", "0", "SANDBOX_RUNTIME", runtime,
                "PRECOMPILE_PREAMBLES", "false"));
             ServiceTarget requests = new ServiceTarget(new ServiceTarget.Settings(service.uri("/"), null,
                     Duration.ofMinutes(5), 300, null), null)) {
            for (int i = 0; i < warmup + samples; i++) {
                String name = "cold-" + i + "-" + System.nanoTime();
                pause();
                Timed cold = timed(service.uri("/project/" + name + "/compile"),
                        requests.requestBody(new Project(name, Corpus.builtIn("hello"), i)));
                if (i >= warmup) {
                    starts.add(cold.compile().path("texfarm").path("timings").path("sandbox").asLong());
                    compiles.add(cold.millis());
                }
            }
        }
        return String.format(Locale.ROOT, "| %s | %d | %d |", runtime, median(starts), median(compiles));
    }

    private static String measure(Document document, BareTarget bare, ServiceTarget requests, RunningService service,
                                  int samples, int warmup, List<String> stageRows) throws Exception {
        List<Long> bareFirst = new ArrayList<>();
        List<Long> bareEdit = new ArrayList<>();
        List<Long> serviceFirst = new ArrayList<>();
        List<Long> serviceEdit = new ArrayList<>();
        List<Long> serviceUnchanged = new ArrayList<>();
        List<Long> editSandbox = new ArrayList<>();
        List<Long> editCompile = new ArrayList<>();
        List<Long> editRest = new ArrayList<>();
        long editsWithFormat = 0;

        for (int i = 0; i < warmup + samples; i++) {
            boolean record = i >= warmup;
            String name = document.name() + "-" + i + "-" + System.nanoTime();

            // Bare: a fresh directory, then the same edit the service gets (the same seed edits the same word).
            Project bareProject = new Project(name, document, i);
            pause();
            long first = bareMillis(bare.compile(bareProject, CompileKind.FIRST));
            bareProject.editAWord();
            pause();
            long edit = bareMillis(bare.compile(bareProject, CompileKind.EDIT));

            // The service: a new project, the edit, then the same request again.
            Project project = new Project(name, document, i);
            URI compile = service.uri("/project/" + name + "/compile");
            pause();
            long serviceA = timed(compile, requests.requestBody(project)).millis();
            project.editAWord();
            byte[] edited = requests.requestBody(project);
            pause();
            Timed serviceB = timed(compile, edited);
            pause();
            long serviceC = timed(compile, edited).millis();
            if (record) {
                bareFirst.add(first);
                bareEdit.add(edit);
                serviceFirst.add(serviceA);
                serviceEdit.add(serviceB.millis());
                serviceUnchanged.add(serviceC);
                editSandbox.add(serviceB.sandbox());
                editCompile.add(serviceB.compileStage());
                editRest.add(serviceB.millis() - serviceB.compileStage());
                editsWithFormat += serviceB.withPrecompiledPreamble() ? 1 : 0;
            }
            System.err.printf("%s sample %d: bare %d/%d ms, service %d/%d/%d ms%s%n", document.name(), i, first, edit,
                    serviceA, serviceB.millis(), serviceC,
                    serviceB.withPrecompiledPreamble() ? " (edit with precompiled preamble)" : "");
        }
        long bf = median(bareFirst);
        long be = median(bareEdit);
        long sa = median(serviceFirst);
        long sb = median(serviceEdit);
        long sc = median(serviceUnchanged);
        stageRows.add(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |", document.name(), be, median(editSandbox),
                median(editCompile), median(editRest)));
        return String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %d | %d | %.2f | %d/%d | %d | %.3f |", document.name(),
                bf, sa, (double) sa / bf, be, sb, (double) sb / be, editsWithFormat, samples, sc, (double) sc / bf);
    }

    private static long bareMillis(Outcome outcome) {
        if (!outcome.succeeded()) {
            throw new IllegalStateException("bare latexmk failed: " + outcome.error());
        }
        return outcome.stages().get("compile");
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(pauseMillis);
    }

    /** A service compile: how long the client waited, and what the service said. */
    private record Timed(long millis, JsonNode compile) {
        boolean withPrecompiledPreamble() {
            return compile.path("texfarm").path("precompiledPreamble").asText().equals("used");
        }

        /** The sandbox's acquisition, in the service's own timings. */
        long sandbox() {
            return compile.path("texfarm").path("timings").path("sandbox").asLong();
        }

        /** CLSI's compile stage: from the synced files to TeX's end, the sandbox's acquisition included. */
        long compileStage() {
            return compile.path("timings").path("compile").asLong();
        }
    }

    /**
     * Posts a compile as an editor backend would, with a blocking HTTP/1.1 client on this thread
     * (kept-alive connections), so that the time is the service's and not a client's thread hand-offs.
     */
    private static Timed timed(URI uri, byte[] body) throws IOException {
        long start = System.nanoTime();
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
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
        JsonNode compile = JSON.readTree(answer).path("compile");
        if (!"success".equals(compile.path("status").asText())) {
            throw new IllegalStateException("service compile of " + uri + " failed: " + compile);
        }
        return new Timed(Math.round(elapsed / 1e6), compile);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
