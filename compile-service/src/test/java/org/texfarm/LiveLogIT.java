package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The log of a running compile, followed as Server-Sent Events; and text outputs served gzipped. */
class LiveLogIT {
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    void streamsLogLinesWhileTheCompileRuns() throws Exception {
        String padding = "x".repeat(400);
        String body = ("\\count255=0 \\loop\\advance\\count255 by 1 \\ifnum\\count255<400000 \\repeat"
                + "\\typeout{PROGRESS-\\the\\count254-" + padding + "}\\advance\\count254 by 1 ").repeat(40);
        List<String> lines = new CopyOnWriteArrayList<>();
        long[] firstProgressAt = {0};
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> events = client.sendAsync(
                HttpRequest.newBuilder(service.uri("/project/live/compile/log")).timeout(Duration.ofMinutes(2)).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        CompletableFuture<Void> reading = events.thenAccept(response -> {
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            response.body().forEach(line -> {
                if (line.startsWith("data: PROGRESS") && firstProgressAt[0] == 0) {
                    firstProgressAt[0] = System.nanoTime();
                }
                lines.add(line);
            });
        });

        RunningService.Response compiled = service.compile("live", document("\\count254=0 " + body + " Done.").json());
        long compileEnded = System.nanoTime();
        reading.get();

        assertThat(compiled.compileStatus()).isEqualTo("success");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("data: PROGRESS-39-"));
        assertThat(lines).contains("event: end");
        assertThat(firstProgressAt[0]).as("a log line arrived before the compile ended").isPositive().isLessThan(compileEnded);
    }

    @Test
    void saysSoWhenNoCompileRuns() {
        RunningService.Response response = service.send(HttpRequest.newBuilder(service.uri("/project/nothing/compile/log")).GET());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).contains("event: idle");
    }

    @Test
    void gzipsTextOutputsButNotPdfsOrRanges() {
        RunningService.Response compiled = service.compile("gzip", document("Compressed log.").json());
        String log = RunningService.outputUrl(compiled.json(), "output.log");
        String pdf = RunningService.outputUrl(compiled.json(), "output.pdf");

        var gzippedLog = service.send(HttpRequest.newBuilder(java.net.URI.create(log)).header("Accept-Encoding", "gzip").GET());
        var plainPdf = service.send(HttpRequest.newBuilder(java.net.URI.create(pdf)).header("Accept-Encoding", "gzip").GET());
        var rangedLog = service.send(HttpRequest.newBuilder(java.net.URI.create(log)).header("Accept-Encoding", "gzip")
                .header("Range", "bytes=0-9").GET());

        assertThat(gzippedLog.raw().headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(plainPdf.raw().headers().firstValue("Content-Encoding")).isNotEqualTo(java.util.Optional.of("gzip"));
        assertThat(RunningService.pdfText(plainPdf.body())).contains("Compressed log.");
        assertThat(rangedLog.status()).isEqualTo(206);
        assertThat(rangedLog.body()).hasSize(10);
    }
}
