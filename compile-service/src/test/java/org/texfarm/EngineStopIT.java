package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The host's Docker engine stops in the middle of a compile, and starts again. Stops the real
 * engine, and with it every container on the host, so it runs only where the environment variable
 * {@value #ENABLE} is {@code true} (CI's {@code .ci/run} sets it), and then in a Maven execution of
 * its own, after every other integration test.
 */
@EnabledIfEnvironmentVariable(named = EngineStopIT.ENABLE, matches = "true",
        disabledReason = "it stops the host's Docker engine; set " + EngineStopIT.ENABLE + "=true to run it")
class EngineStopIT {
    static final String ENABLE = "TEXFARM_ENGINE_FAULT_TESTS";
    private static final Path START_ENGINE = Path.of("../sandbox-images/docker-engine");
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    @Test
    void answersUnavailableWhileTheEngineIsGoneAndServesAgainOnceItIsBack() throws Exception {
        try (RunningService service = RunningService.start(Map.of("PRECOMPILE_PREAMBLES", "false"));
             SandboxContainers containers = new SandboxContainers(service)) {
            CompletableFuture<RunningService.Response> running = CompletableFuture.supplyAsync(
                    () -> service.compile("engine-stop", document("\\def\\loop{\\loop}\\loop").option("timeout", 120).json()));
            containers.awaitRunning("engine-stop", Duration.ofSeconds(30));

            try {
                stopEngine();

                RunningService.Response lost = running.get();
                RunningService.Response whileGone = service.compile("while-gone", document("No engine.").json());
                int status = service.send(HttpRequest.newBuilder(service.uri("/status")).GET()).status();
                RunningService.Response health = service.send(HttpRequest.newBuilder(service.uri("/smoke_test_force")).GET());

                assertThat(lost.status()).as(lost.text()).isEqualTo(503);
                assertThat(lost.compileStatus()).isEqualTo("unavailable");
                assertThat(whileGone.status()).as(whileGone.text()).isEqualTo(503);
                assertThat(whileGone.compileStatus()).isEqualTo("unavailable");
                assertThat(status).isEqualTo(200);
                assertThat(health.status()).isEqualTo(500);
                assertThat(health.text()).contains("the Docker engine does not answer");
            } finally {
                HostCommand.run(START_ENGINE.toString());
            }

            RunningService.Response back = service.compile("engine-back", document("The engine is back.").json());
            assertThat(back.compileStatus()).as(back.text()).isEqualTo("success");
            assertThat(service.pdfText(back.json())).contains("The engine is back.");
        }
    }

    /** Stops dockerd (it stops its containers) and waits until it is gone. */
    private static void stopEngine() throws Exception {
        HostCommand.run("pkill", "-TERM", "-x", "dockerd");
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (new ProcessBuilder("pgrep", "-x", "dockerd").start().waitFor() == 0) {
            assertThat(System.nanoTime()).as("dockerd still runs " + STOP_WAIT + " after SIGTERM").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
