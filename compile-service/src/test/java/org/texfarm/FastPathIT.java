package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;
import static org.texfarm.Projects.project;

import com.github.dockerjava.api.DockerClient;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.texfarm.sandbox.DockerEngine;

/** Warm sandboxes, the result cache, joined compiles and aux reuse, on the real engine. */
class FastPathIT {
    private static final String ALIAS = "texlive-sandbox:fastpath-alias";
    private static final String SLOW = "\\count255=0 \\loop\\advance\\count255 by 1 \\ifnum\\count255<6000000 \\repeat ";

    private static DockerClient docker;
    private static RunningService service;
    private static SandboxContainers containers;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerEngine.connect("unix:///var/run/docker.sock", 2);
        String[] alias = ALIAS.split(":");
        docker.tagImageCmd(RunningService.IMAGE, alias[0], alias[1]).exec();
        // Without background preamble dumps, which would take pooled sandboxes too (PreambleFormatsIT tests them).
        service = RunningService.start(Map.of("ALLOWED_IMAGES", ALIAS, "SANDBOX_POOL_SIZE", "2",
                "PRECOMPILE_PREAMBLES", "false"));
        containers = new SandboxContainers(service);
    }

    @AfterAll
    static void stop() throws Exception {
        containers.close();
        service.close();
        docker.removeImageCmd(ALIAS).exec();
        docker.close();
    }

    private static RunningService.Response compile(String project, Projects request) {
        RunningService.Response response = service.compile(project, request.json());
        assertThat(response.status()).as(response.text()).isIn(200, 423);
        return response;
    }

    private static boolean cacheHit(RunningService.Response response) {
        return response.compile().getJsonObject("texfarm").getBoolean("resultCacheHit");
    }

    @Test
    void answersUnchangedInputWithTheLastBuildWithoutRunningTex() {
        Projects request = document("Cached text.");
        RunningService.Response first = compile("cache", request);

        RunningService.Response second = compile("cache", request);

        assertThat(cacheHit(first)).isFalse();
        assertThat(cacheHit(second)).isTrue();
        assertThat(second.compileStatus()).isEqualTo("success");
        assertThat(second.compile().getString("buildId")).isEqualTo(first.compile().getString("buildId"));
        assertThat(second.compile().getJsonObject("timings").getLong("compile")).isZero();
        assertThat(second.compile().getJsonObject("texfarm").getJsonObject("timings").containsKey("sandbox")).isFalse();
        assertThat(service.pdfText(second.json())).contains("Cached text.");
    }

    @Test
    void compilesAgainWhenContentOptionsOrImageChange() {
        compile("cache-miss", document("Base text."));

        assertThat(cacheHit(compile("cache-miss", document("Base text, edited.")))).isFalse();
        assertThat(cacheHit(compile("cache-miss", document("Base text, edited.").option("draft", true)))).isFalse();
        assertThat(cacheHit(compile("cache-miss", document("Base text, edited.").option("draft", true)
                .option("imageName", ALIAS)))).isFalse();
        assertThat(cacheHit(compile("cache-miss", document("Base text, edited.").option("draft", true)
                .option("imageName", ALIAS)))).isTrue();
        assertThat(cacheHit(compile("cache-miss", document("Base text, edited.").option("draft", true)
                .option("imageName", ALIAS).option("clean", true)))).isFalse();
    }

    @Test
    void joinsAnIdenticalCompileInFlightAndRefusesADifferentOne() throws Exception {
        Projects request = document(SLOW + "Joined text.");
        var first = CompletableFuture.supplyAsync(() -> service.compile("joined", request.json()));
        containers.awaitRunning("joined", Duration.ofSeconds(30));

        var identical = CompletableFuture.supplyAsync(() -> service.compile("joined", request.json()));
        RunningService.Response different = service.compile("joined", document("Other text.").json());

        assertThat(different.status()).isEqualTo(423);
        assertThat(first.get().compileStatus()).isEqualTo("success");
        assertThat(identical.get().compileStatus()).isEqualTo("success");
        assertThat(identical.get().compile().getString("buildId")).isEqualTo(first.get().compile().getString("buildId"));
    }

    @Test
    void neverShowsOneCompileWhatAnotherLeftInTmpOrItsDirectory() {
        RunningService.Response writer = compile("leaky", project().option("compiler", "lualatex").file("main.tex", """
                \\documentclass{article}
                \\begin{document}
                \\directlua{local f = io.open('/tmp/leak.txt', 'w'); if f then f:write('secret') f:close() end}
                Wrote.
                \\end{document}
                """).file("left.tex", "left behind"));
        RunningService.Response reader = compile("curious", project().option("compiler", "lualatex").file("main.tex", """
                \\documentclass{article}
                \\begin{document}
                \\directlua{local f = io.open('/tmp/leak.txt', 'r'); tex.print(f and 'FOUND-TMP' or 'NO-TMP')}
                \\directlua{local f = io.open('left.tex', 'r'); tex.print(f and 'FOUND-LEFT' or 'NO-LEFT')}
                \\end{document}
                """));

        assertThat(writer.compileStatus()).isEqualTo("success");
        assertThat(service.pdfText(reader.json())).contains("NO-TMP", "NO-LEFT");
    }

    @Test
    void refillsThePoolAfterKilledCompiles() throws Exception {
        for (int i = 0; i < 3; i++) {
            String project = "killed-" + i;
            var running = CompletableFuture.supplyAsync(() -> service.compile(project,
                    document("\\def\\loop{\\loop}\\loop").option("timeout", 60).json()));
            containers.awaitRunning(project, Duration.ofSeconds(30));
            service.send(HttpRequest.newBuilder(service.uri("/project/" + project + "/compile/stop"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(running.get().compileStatus()).isEqualTo("terminated");
        }

        assertThat(awaitIdleSandboxes(2, Duration.ofSeconds(20))).isTrue();
        double warmBefore = service.metric("sandbox_pool_takes_total{kind=\"warm\"");
        assertThat(compile("after-kills", document("Still warm.")).compileStatus()).isEqualTo("success");
        assertThat(service.metric("sandbox_pool_takes_total{kind=\"warm\"")).isEqualTo(warmBefore + 1);
    }

    @Test
    void keepsAuxFilesBetweenCompilesButWipesThemAfterATimeoutOrOnClean() throws Exception {
        Projects twoRuns = document("\\tableofcontents\\section{Alpha}\\label{a} See \\ref{a}.");
        RunningService.Response first = compile("aux", twoRuns);
        RunningService.Response edited = compile("aux", document("\\tableofcontents\\section{Alpha}\\label{a} See \\ref{a}!"));
        RunningService.Response clean = compile("aux", document("\\tableofcontents\\section{Alpha}\\label{a} See \\ref{a}?")
                .option("clean", true));

        assertThat(runs(first)).isGreaterThan(runs(edited));
        assertThat(runs(clean)).isEqualTo(runs(first));
        assertThat(service.dataDir().resolve("compiles/p/aux/output.aux")).exists();

        RunningService.Response timedOut = compile("aux", document("\\section{Beta}\\def\\loop{\\loop}\\loop").option("timeout", 3));
        assertThat(timedOut.compileStatus()).isEqualTo("timedout");
        // As CLSI's: the build keeps what TeX left, then the compile directory goes, so the next compile is initial.
        assertThat(outputPaths(timedOut)).contains("output.log", "output.synctex(busy)");
        assertThat(service.dataDir().resolve("compiles/p/aux")).doesNotExist();
        RunningService.Response after = compile("aux", twoRuns);
        assertThat(after.compile().getJsonObject("stats").getInteger("isInitialCompile")).isEqualTo(1);
        assertThat(runs(after)).isEqualTo(runs(first));
    }

    private static List<String> outputPaths(RunningService.Response response) {
        return response.compile().getJsonArray("outputFiles").stream().map(f -> ((JsonObject) f).getString("path")).toList();
    }

    private static long runs(RunningService.Response response) {
        return response.compile().getJsonObject("stats").getLong("latex-runs");
    }

    private static boolean awaitIdleSandboxes(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (service.metric("sandbox_pool_idle") >= count) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
