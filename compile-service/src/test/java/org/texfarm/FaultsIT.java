package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.texfarm.Projects.document;

import com.github.dockerjava.api.model.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.texfarm.config.ServiceConfig;

/** Faults from outside the service: a sandbox killed by someone else, a disk that fills up. */
class FaultsIT {
    private static final String ENDLESS_LOOP = "\\def\\loop{\\loop}\\loop";

    @Test
    void answersTerminatedWhenSomeoneElseKillsTheSandboxAndCompilesTheProjectAgain() throws Exception {
        try (RunningService service = RunningService.start(Map.of("PRECOMPILE_PREAMBLES", "false"));
             SandboxContainers containers = new SandboxContainers(service)) {
            CompletableFuture<RunningService.Response> running = CompletableFuture.supplyAsync(
                    () -> service.compile("killed-outside", document(ENDLESS_LOOP).option("timeout", 60).json()));
            Container container = containers.awaitRunning("killed-outside", Duration.ofSeconds(30));

            containers.docker().killContainerCmd(container.getId()).exec();

            RunningService.Response killed = running.get();
            assertThat(killed.compileStatus()).as(killed.text()).isEqualTo("terminated");
            assertThat(killed.compile().getString("error")).contains("killed");
            RunningService.Response again = service.compile("killed-outside", document("Alive again.").json());
            assertThat(again.compileStatus()).isEqualTo("success");
            assertThat(service.pdfText(again.json())).contains("Alive again.");
        }
    }

    @Test
    void refusesCompilesWhileItsDiskIsFullAndRecoversWhenSpaceReturns() throws Exception {
        assumeThat(ServiceConfig.currentUid()).as("mounting a size-capped filesystem needs root").isZero();
        Path mount = Files.createTempDirectory("compile-service-small-disk");
        HostCommand.run("mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", mount.toString());
        try {
            Path data = Files.createDirectory(mount.resolve("data"));
            try (RunningService service = RunningService.start(Map.of("DATA_DIR", data.toString(),
                    "DISK_MIN_FREE", "32m", "PRECOMPILE_PREAMBLES", "false"))) {
                assertThat(service.compile("before", document("Room enough.").json()).compileStatus()).isEqualTo("success");

                Path filler = mount.resolve("filler");
                HostCommand.run("fallocate", "-l", "70m", filler.toString());
                RunningService.Response full = service.compile("while-full", document("No room.").json());
                Files.delete(filler);
                RunningService.Response after = service.compile("after", document("Room again.").json());

                assertThat(full.status()).isEqualTo(503);
                assertThat(full.compile().getString("error")).contains("disk is almost full");
                assertThat(full.raw().headers().firstValue("Retry-After")).isPresent();
                assertThat(after.compileStatus()).isEqualTo("success");
                assertThat(service.pdfText(after.json())).contains("Room again.");
                StoredContent.assertEveryBlobIsWhole(data);
            }
        } finally {
            HostCommand.run("umount", mount.toString());
            Files.delete(mount);
        }
    }
}
