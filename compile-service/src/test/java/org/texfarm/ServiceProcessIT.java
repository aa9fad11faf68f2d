package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;

import com.github.dockerjava.api.model.Container;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.texfarm.sync.SafeFiles;

/** The service as its own process (the jar), killed and started again on the same data directory. */
class ServiceProcessIT {
    private static final Path JAR = Path.of("target/compile-service.jar");
    private static final Duration START_WAIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SandboxContainers containers;
    private Path dataDir;
    private int port;
    private Process process;

    @BeforeEach
    void prepare() throws IOException {
        dataDir = Files.createTempDirectory("compile-service-process");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
        if (containers != null) {
            containers.removeAll();
            containers.close();
        }
        http.close();
        SafeFiles.deleteRecursively(dataDir);
    }

    /** Starts the jar on the data directory and waits until it answers. */
    private void startService() throws Exception {
        startService(Map.of());
    }

    private void startService(Map<String, String> settings) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(logFile().toFile());
        builder.environment().putAll(Map.of("DATA_DIR", dataDir.toString(), "PORT", Integer.toString(port),
                "TEXLIVE_IMAGE", RunningService.IMAGE, "PRECOMPILE_PREAMBLES", "false", "AGENT_PORT", "0"));
        builder.environment().putAll(settings);
        process = builder.start();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (true) {
            try {
                if (get("/status").statusCode() == 200) {
                    if (containers == null) {
                        containers = new SandboxContainers(Files.readString(dataDir.resolve("instance-id")).trim());
                    }
                    return;
                }
            } catch (IOException notYet) {
                assertThat(process.isAlive()).as("the service exited while starting").isTrue();
            }
            assertThat(System.nanoTime()).as("the service did not start within " + START_WAIT).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private Path logFile() {
        return dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonObject compile(String project, Projects request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/project/" + project + "/compile")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.json().encode())).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(response.body()).getJsonObject("compile");
    }

    private CompletableFuture<JsonObject> compileAsync(String project, Projects request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return compile(project, request);
            } catch (IOException | InterruptedException e) {
                return null;
            }
        });
    }

    /** Runs a second service with these settings over the first one's, and what it said before it exited. */
    private String secondInstance(Map<String, String> settings) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("DATA_DIR", dataDir.toString(), "PORT", Integer.toString(port),
                "TEXLIVE_IMAGE", RunningService.IMAGE, "PRECOMPILE_PREAMBLES", "false", "AGENT_PORT", "0",
                "LOG_FORMAT", "text"));
        builder.environment().putAll(settings);
        Process second = builder.start();
        assertThat(second.waitFor(START_WAIT.toSeconds(), TimeUnit.SECONDS)).as("the second service exits").isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        return new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void refusesASecondInstanceOnTheSameDataDirectoryOrPortAndLeavesTheFirstAlone() throws Exception {
        startService();
        List<String> warm = containers.all().stream().map(Container::getId).toList();
        Path otherData = Files.createTempDirectory("compile-service-other");
        int freePort = RunningService.freePort();
        try {
            String sameData = secondInstance(Map.of("PORT", Integer.toString(freePort)));
            String samePort = secondInstance(Map.of("DATA_DIR", otherData.toString()));

            assertThat(sameData.lines()).containsExactly("compile-service: cannot start: DATA_DIR " + dataDir
                    + " is in use by another compile service (pid " + process.pid() + "): stop it, or give this one a"
                    + " DATA_DIR of its own");
            assertThat(samePort.lines()).containsExactly("compile-service: cannot start: port " + port
                    + " on 127.0.0.1 is in use (another compile service?): stop it, or set PORT to a free port");
            assertThat(containers.all().stream().map(Container::getId).toList()).containsAll(warm);
            assertThat(get("/status").statusCode()).isEqualTo(200);
            assertThat(compile("still-served", Projects.document("Still served.")).getString("status")).isEqualTo("success");
        } finally {
            SafeFiles.deleteRecursively(otherData);
        }
    }

    @Test
    void comesBackAfterSigkillCleanedUpAndStillServingItsFinishedBuilds() throws Exception {
        startService();
        JsonObject finished = compile("finished", document("Finished before the crash."));
        assertThat(finished.getString("status")).isEqualTo("success");
        String pdfUrl = finished.getJsonArray("outputFiles").stream().map(f -> (JsonObject) f)
                .filter(f -> f.getString("path").equals("output.pdf")).findFirst().orElseThrow().getString("url");
        CompletableFuture<JsonObject> interrupted = compileAsync("interrupted", document("\\def\\loop{\\loop}\\loop").option("timeout", 120));
        containers.awaitRunning("interrupted", START_WAIT);

        process.destroyForcibly().waitFor();
        assertThat(interrupted.get()).isNull();
        startService();

        assertThat(containers.forProject("interrupted")).as("the interrupted compile's container").isEmpty();
        HttpResponse<byte[]> pdf = get(URI.create(pdfUrl).getPath());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(RunningService.pdfText(pdf.body())).contains("Finished before the crash.");
        try (Stream<Path> temp = Files.list(dataDir.resolve("store/tmp"));
             Stream<Path> builds = Files.walk(dataDir.resolve("builds"))) {
            assertThat(temp.toList()).as("temp files in the store").isEmpty();
            assertThat(builds.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList())
                    .as("half-made builds").isEmpty();
        }
        JsonObject again = compile("interrupted", document("Compiles after the crash."));
        assertThat(again.getString("status")).isEqualTo("success");
    }

    @Test
    void drainsOnSigtermAnsweringTheRunningCompileAndRefusingNewOnes() throws Exception {
        startService(Map.of("SHUTDOWN_GRACE", "60"));
        CompletableFuture<JsonObject> running = compileAsync("draining",
                document("\\count255=0 \\loop\\advance\\count255 by 1 \\ifnum\\count255<15000000 \\repeat Finished while draining."));
        containers.awaitRunning("draining", START_WAIT);

        process.destroy();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (get("/status").statusCode() != 503) {
            assertThat(System.nanoTime()).as("the service did not start draining").isLessThan(deadline);
            Thread.sleep(20);
        }
        JsonObject refused = compile("too-late", document("Too late."));

        assertThat(refused.getString("status")).isEqualTo("unavailable");
        assertThat(refused.getString("error")).contains("shutting down");
        assertThat(running.get().getString("status")).isEqualTo("success");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the service exited").isTrue();
        assertThat(containers.all()).as("containers left").isEmpty();
        assertThat(Files.readString(logFile())).contains("stopping: new compiles are refused; waiting up to 60 s")
                .containsPattern("\\bstopped\\b[^\\n]*\\n?\\z");
    }

    @Test
    void stopsCompilesStillRunningWhenTheShutdownGraceEnds() throws Exception {
        startService(Map.of("SHUTDOWN_GRACE", "1"));
        CompletableFuture<JsonObject> running = compileAsync("endless", document("\\def\\loop{\\loop}\\loop").option("timeout", 120));
        containers.awaitRunning("endless", START_WAIT);

        process.destroy();

        assertThat(running.get().getString("status")).isEqualTo("terminated");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the service exited").isTrue();
        assertThat(containers.all()).as("containers left").isEmpty();
    }

    @Test
    void logsOneJsonEventPerLineWithTheRequestIdItAnswersInAHeader() throws Exception {
        startService(Map.of("LOG_FORMAT", "json"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/project/logged/compile")).header("Content-Type", "application/json").header("X-Request-Id", "req-42")
                .POST(HttpRequest.BodyPublishers.ofString(document("Logged.").json().encode())).build(), HttpResponse.BodyHandlers.ofString());
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(response.headers().firstValue("X-Request-Id")).contains("req-42");
        List<String> lines = Files.readAllLines(logFile()).stream().filter(line -> line.startsWith("{")).toList();
        assertThat(lines).isNotEmpty();
        List<JsonObject> events = lines.stream().map(JsonObject::new).toList();
        assertThat(events).anySatisfy(event -> {
            assertThat(event.getJsonObject("mdc").getString("requestId")).isEqualTo("req-42");
            assertThat(event.getJsonObject("mdc").getString("project")).isEqualTo("logged");
            assertThat(event.getString("formattedMessage")).startsWith("compiled logged: success");
            assertThat(event.getJsonArray("kvpList").encode()).contains("\"status\":\"success\"");
        });
        assertThat(Files.readAllLines(logFile())).noneMatch(line -> line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"));
        assertThat(String.join("\n", lines)).doesNotContain("Logged.");
    }
}
