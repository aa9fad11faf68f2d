package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrency, stop, clear and the per-user directories, on the real engine. */
class CompileLifecycleIT {
    private static final String ENDLESS_LOOP = "\\def\\loop{\\loop}\\loop";
    private static final String USER = "0123456789abcdef01234567";

    private static RunningService service;
    private static SandboxContainers containers;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("MAX_CONCURRENT_COMPILES", "2", "COMPILE_QUEUE_SIZE", "0"));
        containers = new SandboxContainers(service);
    }

    @AfterAll
    static void stop() throws Exception {
        containers.close();
        service.close();
    }

    private static CompletableFuture<RunningService.Response> compileAsync(String project, Projects request) {
        return CompletableFuture.supplyAsync(() -> service.compile(project, request.json()));
    }

    private static RunningService.Response post(String path) {
        return service.send(HttpRequest.newBuilder(service.uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void compilesTwoProjectsAtOnceEachWithItsOwnFiles() {
        String slow = "\\count255=0 \\loop\\advance\\count255 by 1 \\ifnum\\count255<3000000 \\repeat ";
        var first = compileAsync("parallel-a", document(slow + "Project A text."));
        var second = compileAsync("parallel-b", document(slow + "Project B text."));

        RunningService.Response a = first.join();
        RunningService.Response b = second.join();

        assertThat(a.compileStatus()).isEqualTo("success");
        assertThat(b.compileStatus()).isEqualTo("success");
        assertThat(service.pdfText(a.json())).contains("Project A text.").doesNotContain("Project B");
        assertThat(service.pdfText(b.json())).contains("Project B text.").doesNotContain("Project A");
    }

    @Test
    void stopTerminatesTheRunningCompile() throws Exception {
        var running = compileAsync("stoppable", document(ENDLESS_LOOP).option("timeout", 120));
        containers.awaitRunning("stoppable", Duration.ofSeconds(30));

        assertThat(post("/project/stoppable/compile/stop").status()).isEqualTo(204);

        RunningService.Response response = running.get();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.compileStatus()).isEqualTo("terminated");
        assertThat(response.compile().getString("error")).isEqualTo("terminated");
    }

    @Test
    void refusesASecondCompileOfTheSameProjectWith423() throws Exception {
        var running = compileAsync("locked", document(ENDLESS_LOOP).option("timeout", 120));
        containers.awaitRunning("locked", Duration.ofSeconds(30));

        RunningService.Response second = service.compile("locked", document("Other request.").json());

        assertThat(second.status()).isEqualTo(423);
        assertThat(second.compileStatus()).isEqualTo("compile-in-progress");
        post("/project/locked/compile/stop");
        assertThat(running.get().compileStatus()).isEqualTo("terminated");
        assertThat(service.compile("locked", document("Unlocked again.").json()).compileStatus()).isEqualTo("success");
    }

    @Test
    void answers503WithRetryAfterWhenEverySlotIsTaken() throws Exception {
        var one = compileAsync("busy-1", document(ENDLESS_LOOP).option("timeout", 120));
        var two = compileAsync("busy-2", document(ENDLESS_LOOP).option("timeout", 120));
        containers.awaitRunning("busy-1", Duration.ofSeconds(30));
        containers.awaitRunning("busy-2", Duration.ofSeconds(30));

        RunningService.Response refused = service.compile("busy-3", document("No room.").json());

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.compileStatus()).isEqualTo("unavailable");
        assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
        post("/project/busy-1/compile/stop");
        post("/project/busy-2/compile/stop");
        assertThat(one.get().compileStatus()).isEqualTo("terminated");
        assertThat(two.get().compileStatus()).isEqualTo("terminated");
    }

    @Test
    void clearingAProjectDeletesItsDirectoryAndBuilds() {
        RunningService.Response compiled = service.compile("clearable", document("To be cleared.").json());
        String pdfUrl = RunningService.outputUrl(compiled.json(), "output.pdf");
        assertThat(Files.isDirectory(service.dataDir().resolve("compiles/p/clearable"))).isTrue();

        RunningService.Response cleared = service.send(HttpRequest.newBuilder(service.uri("/project/clearable")).DELETE());

        assertThat(cleared.status()).isEqualTo(204);
        assertThat(Files.exists(service.dataDir().resolve("compiles/p/clearable"))).isFalse();
        assertThat(service.send(HttpRequest.newBuilder(java.net.URI.create(pdfUrl)).GET()).status()).isEqualTo(404);
    }

    @Test
    void keepsEachUsersCompileApartFromTheProjects() {
        RunningService.Response own = service.compile("shared", document("Project copy.").json());
        RunningService.Response user = service.compile("/project/shared/user/" + USER + "/compile",
                document("User copy.").json());

        assertThat(user.compileStatus()).isEqualTo("success");
        String userPdf = RunningService.outputUrl(user.json(), "output.pdf");
        assertThat(userPdf).contains("/project/shared/user/" + USER + "/build/");
        assertThat(service.pdfText(user.json())).contains("User copy.");
        assertThat(service.pdfText(own.json())).contains("Project copy.");
        assertThat(service.dataDir().resolve("compiles/u/shared/" + USER)).isDirectory();
    }

    @Test
    void servesByteRangesOfAnOutputFile() {
        RunningService.Response compiled = service.compile("ranges", document("Ranged.").json());
        String url = RunningService.outputUrl(compiled.json(), "output.pdf");
        long size = compiled.compile().getJsonObject("stats").getLong("pdf-size");

        RunningService.Response head = service.send(HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Range", "bytes=0-4").GET());
        RunningService.Response tail = service.send(HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Range", "bytes=-10").GET());
        RunningService.Response beyond = service.send(HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Range", "bytes=" + size + "-").GET());

        assertThat(head.status()).isEqualTo(206);
        assertThat(head.text()).isEqualTo("%PDF-");
        assertThat(head.raw().headers().firstValue("Content-Range")).hasValue("bytes 0-4/" + size);
        assertThat(tail.status()).isEqualTo(206);
        assertThat(tail.body()).hasSize(10);
        assertThat(beyond.status()).isEqualTo(416);
    }
}
