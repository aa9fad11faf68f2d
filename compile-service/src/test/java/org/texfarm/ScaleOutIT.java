package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scale-out stack for real: the service's image and HAProxy's, built here from Debian's
 * packages, run by compile-service/deploy/docker-compose.scale.yml as two replicas behind the
 * balancer, reached only through ports published on 127.0.0.1. Each project stays on one replica,
 * and a conversion's output is fetched from the replica that made it; a drained replica gets no
 * compiles; a stopped one's projects move to the other after a retry.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {
    private static final List<String> PROJECTS = IntStream.range(0, 16).mapToObj(i -> "scale-" + i).toList();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static Compose stack;
    private static Path data;
    private static int balancer;
    private static int stats;
    private static Map<String, Integer> replicaPorts;
    /** The replica that served each project first. */
    private static final Map<String, String> HOMES = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        String serviceImage = Compose.imageBuiltBy("compile-service/image");
        String haproxyImage = Compose.imageBuiltBy("sandbox-images/build", "haproxy");
        data = Files.createTempDirectory(Path.of("/var/tmp"), "texfarm-scale-it");
        // The service runs as uid 10002 in its image, and owns its data directory.
        Files.setAttribute(data, "unix:uid", 10002);
        Files.setAttribute(data, "unix:gid", 10002);
        balancer = RunningService.freePort();
        stats = RunningService.freePort();
        replicaPorts = Map.of("compile-1", RunningService.freePort(), "compile-2", RunningService.freePort());
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("COMPILE_SERVICE_IMAGE", serviceImage);
        settings.put("HAPROXY_IMAGE", haproxyImage);
        settings.put("TEXLIVE_IMAGE", RunningService.IMAGE);
        settings.put("TEXFARM_DATA", data.toString());
        settings.put("DOCKER_GID", Files.getAttribute(Path.of("/var/run/docker.sock"), "unix:gid", LinkOption.NOFOLLOW_LINKS).toString());
        settings.put("COMPILE_LB_PORT", Integer.toString(balancer));
        settings.put("COMPILE_LB_STATS_PORT", Integer.toString(stats));
        settings.put("COMPILE_LB_URL", "http://127.0.0.1:" + balancer);
        settings.put("COMPILE_1_PORT", replicaPorts.get("compile-1").toString());
        settings.put("COMPILE_2_PORT", replicaPorts.get("compile-2").toString());
        settings.put("SHUTDOWN_GRACE", "5");
        stack = new Compose("texfarm-scale-it", settings, Compose.REPOSITORY.resolve("compile-service/deploy/docker-compose.scale.yml"));
        stack.run("up", "--detach");
        awaitTrue("both replicas up in the balancer, with weight", () -> replicaState("compile-1").equals("UP")
                && replicaState("compile-2").equals("UP"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            // What the replicas and the balancer said, for a failure's diagnosis.
            System.out.println(stack.run("logs", "--no-color", "--tail", "40"));
            stack.close();
        }
        if (data != null) {
            HostCommand.run("rm", "-rf", data.toString());
        }
    }

    /** A compile through the balancer: the answer and the replica that gave it. */
    private record Served(int status, JsonObject compile, String replica, String body) {
    }

    private static Served compile(String project, String text) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + balancer + "/project/" + project + "/compile"))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Projects.document(text).json().encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject body = response.body().startsWith("{") ? new JsonObject(response.body()) : new JsonObject();
        return new Served(response.statusCode(), body.getJsonObject("compile"),
                response.headers().firstValue("X-Served-By").orElse(null), response.body());
    }

    /** A compile that a client retries while the service says it is unavailable (503), as CLSI's clients do. */
    private static Served compileRetrying(String project, String text) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Served served = compile(project, text);
            if (served.status() != 503 || System.nanoTime() > deadline) {
                return served;
            }
            Thread.sleep(500);
        }
    }

    /** HAProxy's status of a replica (UP, DOWN, DRAIN, MAINT...), from its stats page's CSV. */
    private static String replicaState(String replica) {
        try {
            String csv = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stats + "/;csv")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : csv.split("\n")) {
                String[] fields = line.split(",");
                if (fields.length > 18 && fields[0].equals("compile-servers") && fields[1].equals(replica)) {
                    return fields[17] + (fields[18].equals("0") ? " weight 0" : "");
                }
            }
            return "absent";
        } catch (IOException | InterruptedException e) {
            return "unreachable: " + e;
        }
    }

    private static void setAgentState(String replica, String state) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + replicaPorts.get(replica) + "/admin/load-agent"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"state\": \"" + state + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what + " (compile-1 "
                        + replicaState("compile-1") + ", compile-2 " + replicaState("compile-2") + ")");
            }
            Thread.sleep(250);
        }
    }

    @Test
    @Order(1)
    void servesEachProjectAlwaysFromTheSameReplicaWithItsOutputs() throws Exception {
        for (String project : PROJECTS) {
            Served first = compile(project, "First of " + project + ".");
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(first.compile().getString("status")).isEqualTo("success");
            HOMES.put(project, first.replica());
        }
        assertThat(HOMES.values()).as("replicas used by 16 projects").containsOnly("compile-1", "compile-2")
                .contains("compile-1", "compile-2");

        for (String project : PROJECTS) {
            Served edit = compile(project, "Edit of " + project + ".");
            assertThat(edit.replica()).as(project).isEqualTo(HOMES.get(project));
            String pdfUrl = RunningService.outputUrl(new JsonObject().put("compile", edit.compile()), "output.pdf");
            assertThat(pdfUrl).startsWith("http://127.0.0.1:" + balancer + "/project/" + project + "/build/");
            HttpResponse<byte[]> pdf = HTTP.send(HttpRequest.newBuilder(URI.create(pdfUrl)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(pdf.statusCode()).as("the PDF, from the replica that made it").isEqualTo(200);
            assertThat(pdf.headers().firstValue("X-Served-By")).contains(HOMES.get(project));
            assertThat(RunningService.pdfText(pdf.body())).contains("Edit of " + project + ".");
        }
        for (String replica : replicaPorts.keySet()) {
            // The host's cgroups are mounted in each replica: a project compiled again finds the sandbox it kept.
            String project = HOMES.entrySet().stream().filter(home -> home.getValue().equals(replica)).findFirst()
                    .orElseThrow().getKey();
            assertThat(compile(project, "Once more on " + replica + ".").replica()).isEqualTo(replica);
            double before = keptReuses(replica);
            assertThat(compile(project, "Again on " + replica + ".").replica()).isEqualTo(replica);
            assertThat(keptReuses(replica) - before).as(replica + "'s reuses of kept sandboxes").isEqualTo(1);
        }
    }

    private static double keptReuses(String replica) throws IOException, InterruptedException {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replicaPorts.get(replica)
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("sandbox_kept_reuses_total "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).sum();
    }

    @Test
    @Order(2)
    void servesEachConversionsOutputFromTheReplicaThatMadeIt() throws Exception {
        // Without the balancer's stickiness, each download would find its replica by chance: 1 in 64 for all six.
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> stored = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + balancer
                            + "/project/converted-" + i + "/user/0123456789abcdef01234567/download/project-to-document"
                            + "?type=docx&responseFormat=json"))
                    .timeout(Duration.ofMinutes(2))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Projects.document("Converted " + i + ".").json().encode())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            JsonObject answer = new JsonObject(stored.body());
            HttpResponse<byte[]> docx = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + balancer + "/project/"
                    + answer.getString("conversionId") + "/build/" + answer.getString("buildId") + "/output/"
                    + answer.getString("file"))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(docx.statusCode()).as("conversion " + i + ", made by " + stored.headers().firstValue("X-Served-By"))
                    .isEqualTo(200);
            assertThat(docx.headers().firstValue("X-Served-By")).isEqualTo(stored.headers().firstValue("X-Served-By"));
        }
    }

    @Test
    @Order(3)
    void givesADrainedReplicaNoCompilesAndMovesItsProjects() throws Exception {
        setAgentState("compile-1", "drain");
        try {
            awaitTrue("compile-1 drained", () -> replicaState("compile-1").contains("DRAIN"));
            for (String project : PROJECTS) {
                Served served = compile(project, "While compile-1 drains: " + project + ".");
                assertThat(served.status()).as(served.body()).isEqualTo(200);
                assertThat(served.replica()).as(project + ", at home on " + HOMES.get(project)).isEqualTo("compile-2");
            }
        } finally {
            setAgentState("compile-1", "ready");
        }
        awaitTrue("compile-1 back", () -> replicaState("compile-1").equals("UP"));
        for (String project : PROJECTS) {
            assertThat(compile(project, "Back home: " + project + ".").replica()).as(project).isEqualTo(HOMES.get(project));
        }
    }

    @Test
    @Order(4)
    void movesAStoppedReplicasProjectsToTheOtherAfterARetry() throws Exception {
        stack.run("stop", "compile-2");

        for (String project : PROJECTS) {
            Served served = compileRetrying(project, "After compile-2 stopped: " + project + ".");
            assertThat(served.status()).as(project + ": " + served.body()).isEqualTo(200);
            assertThat(served.compile().getString("status")).isEqualTo("success");
            assertThat(served.replica()).as(project).isEqualTo("compile-1");
        }
        assertThat(replicaState("compile-2")).startsWith("DOWN");
    }
}
