package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Clients that abuse the API by number or by slowness, against the real service. */
class RequestFloodIT {
    private static RunningService service;
    private static SandboxContainers containers;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("MAX_CONCURRENT_COMPILES", "2", "COMPILE_QUEUE_SIZE", "4",
                "REQUEST_BODY_TIMEOUT", "2", "PRECOMPILE_PREAMBLES", "false"));
        containers = new SandboxContainers(service);
    }

    @AfterAll
    static void stop() throws Exception {
        containers.close();
        service.close();
    }

    private static List<HttpResponse<String>> sendAll(List<HttpRequest> requests) {
        // A client of its own: a thousand connections at once, none kept for the other tests.
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<HttpResponse<String>>> sent = requests.stream()
                    .map(request -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString())).toList();
            return sent.stream().map(CompletableFuture::join).toList();
        }
    }

    private static HttpRequest compileRequest(String project, String body) {
        return HttpRequest.newBuilder(service.uri("/project/" + project + "/compile"))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(document(body).json().encode())).build();
    }

    @Test
    void answersAThousandProjectsAtOnceWithinItsQueueAndRefusesTheRestWithRetryAfter() throws Exception {
        List<HttpResponse<String>> responses = sendAll(IntStream.range(0, 1000)
                .mapToObj(i -> compileRequest("flood-" + i, "Flood " + i + ".")).toList());

        assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).isIn(200, 503));
        List<HttpResponse<String>> refused = responses.stream().filter(r -> r.statusCode() == 503).toList();
        assertThat(refused).isNotEmpty().allSatisfy(response -> {
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.body()).contains("unavailable");
        });
        assertThat(responses.stream().filter(r -> r.statusCode() == 200))
                .allSatisfy(response -> assertThat(response.body()).contains("\"status\":\"success\""));
        assertThat(service.compile("after-flood", document("Still serving.").json()).compileStatus()).isEqualTo("success");
    }

    @Test
    void makesAThousandIdenticalRequestsShareOneCompile() {
        double compiledBefore = service.metric("compiles_total{cached=\"false\"");

        List<HttpResponse<String>> responses = sendAll(IntStream.range(0, 1000)
                .mapToObj(i -> compileRequest("identical", "The same for all.")).toList());

        assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).as(response.body()).isEqualTo(200));
        assertThat(responses.stream().map(r -> new io.vertx.core.json.JsonObject(r.body()).getJsonObject("compile")
                .getString("buildId")).distinct()).hasSize(1);
        assertThat(service.metric("compiles_total{cached=\"false\"")).isEqualTo(compiledBefore + 1);
    }

    @Test
    void servesOthersWhileAClientSendsItsBodyByteByByte() throws Exception {
        byte[] body = document("Sent slowly.").json().encode().getBytes(StandardCharsets.UTF_8);
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> {
            try (Socket socket = new Socket("127.0.0.1", service.uri("/").getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /project/slow/compile HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                // Within the body timeout: well under 2 s in all.
                for (int i = 0; i < body.length; i++) {
                    out.write(body[i]);
                    out.flush();
                    if (i % 20 == 0) {
                        Thread.sleep(10);
                    }
                }
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        RunningService.Response meanwhile = service.compile("not-slow", document("Not waiting.").json());

        assertThat(meanwhile.compileStatus()).isEqualTo("success");
        assertThat(slow.get()).startsWith("HTTP/1.1 200").contains("\"status\":\"success\"");
    }

    @Test
    void closesTheConnectionOfAClientThatStopsSendingItsBody() throws Exception {
        URI uri = service.uri("/");
        try (Socket socket = new Socket("127.0.0.1", uri.getPort())) {
            socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /project/stalled/compile HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"compile\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();

            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes();

            assertThat(new String(answer, StandardCharsets.UTF_8)).doesNotContain("\"status\":\"success\"");
        }
        assertThat(service.compile("after-stall", document("Still serving.").json()).compileStatus()).isEqualTo("success");
    }
}
