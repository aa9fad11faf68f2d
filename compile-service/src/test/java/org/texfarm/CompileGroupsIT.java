package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compile groups from a file: each group's limits on its real containers, its own concurrency, unknown groups refused. */
class CompileGroupsIT {
    private static final String ENDLESS_LOOP = "\\def\\loop{\\loop}\\loop";
    private static final String GROUPS = """
            {
              "groups": {
                "standard": {"maxConcurrent": 1, "queueSize": 0, "timeoutMax": 8, "memory": "512m", "cpus": 0.5,
                             "pids": 64, "fileSize": "16m", "openFiles": 256, "shellEscape": false},
                "priority": {"maxConcurrent": 2, "timeoutMax": 120, "memory": "1g", "cpus": 1, "pids": 200,
                             "fileSize": "64m", "shellEscape": true}
              }
            }
            """;

    private static Path groupsFile;
    private static RunningService service;
    private static SandboxContainers containers;

    @BeforeAll
    static void start() throws Exception {
        groupsFile = Files.createTempFile("compile-groups", ".json");
        Files.writeString(groupsFile, GROUPS);
        service = RunningService.start(Map.of("COMPILE_GROUPS_FILE", groupsFile.toString(),
                "MAX_CONCURRENT_COMPILES", "2", "PRECOMPILE_PREAMBLES", "false"));
        containers = new SandboxContainers(service);
    }

    @AfterAll
    static void stop() throws Exception {
        containers.close();
        service.close();
        Files.deleteIfExists(groupsFile);
    }

    @Test
    void runsEachGroupsCompilesUnderItsOwnLimits() throws Exception {
        CompletableFuture<RunningService.Response> standard = CompletableFuture.supplyAsync(() -> service.compile(
                "standard-limits", document(ENDLESS_LOOP).option("timeout", 600).json()));
        HostConfig standardHost = inspect("standard-limits").getHostConfig();
        CompletableFuture<RunningService.Response> priority = CompletableFuture.supplyAsync(() -> service.compile(
                "priority-limits", document(ENDLESS_LOOP).option("timeout", 3).option("compileGroup", "priority").json()));
        InspectContainerResponse priorityContainer = inspect("priority-limits");
        HostConfig priorityHost = priorityContainer.getHostConfig();

        assertThat(standardHost.getMemory()).isEqualTo(512L << 20);
        assertThat(standardHost.getCpuQuota()).isEqualTo(500_000L);
        assertThat(standardHost.getPidsLimit()).isEqualTo(64L);
        assertThat(ulimits(standardHost)).contains("fsize=" + (16L << 20), "nofile=256");
        assertThat(priorityHost.getMemory()).isEqualTo(1L << 30);
        assertThat(priorityHost.getCpuQuota()).isEqualTo(1_000_000L);
        assertThat(priorityHost.getPidsLimit()).isEqualTo(200L);
        assertThat(ulimits(priorityHost)).contains("fsize=" + (64L << 20), "nofile=1024");
        assertThat(priorityContainer.getConfig().getEnv()).contains("shell_escape=t");

        RunningService.Response standardEnd = standard.get();
        assertThat(standardEnd.compileStatus()).isEqualTo("timedout");
        assertThat(standardEnd.compile().getString("error")).as("600 s clamped to the group's maximum")
                .isEqualTo("container timed out");
        assertThat(priority.get().compileStatus()).isEqualTo("timedout");
    }

    @Test
    void aFullGroupRefusesItsCompilesWhileAnotherGroupStillCompiles() throws Exception {
        CompletableFuture<RunningService.Response> busy = CompletableFuture.supplyAsync(() -> service.compile(
                "standard-busy", document(ENDLESS_LOOP).json()));
        containers.awaitRunning("standard-busy", Duration.ofSeconds(30));

        RunningService.Response refused = service.compile("standard-second", document("Waits its turn.").json());
        RunningService.Response priority = service.compile("priority-meanwhile",
                document("Priority goes ahead.").option("compileGroup", "priority").json());

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.text()).contains("group 'standard'");
        assertThat(priority.compileStatus()).isEqualTo("success");
        assertThat(service.pdfText(priority.json())).contains("Priority goes ahead.");
        assertThat(busy.get().compileStatus()).isEqualTo("timedout");
        assertThat(service.compile("standard-second", document("Its turn now.").json()).compileStatus())
                .isEqualTo("success");
        assertThat(service.metric("compiles_total{cached=\"false\",engine=\"pdflatex\",group=\"priority\",status=\"success\""))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void refusesAGroupTheServerDoesNotHave() {
        RunningService.Response response = service.compile("no-group",
                document("Never compiled.").option("compileGroup", "alpha").json());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).contains("options.compileGroup 'alpha' is not a compile group of this server; groups: standard, priority");
        assertThat(service.dataDir().resolve("compiles/p/no-group")).doesNotExist();
    }

    private static InspectContainerResponse inspect(String project) throws InterruptedException {
        Container container = containers.awaitRunning(project, Duration.ofSeconds(30));
        return containers.docker().inspectContainerCmd(container.getId()).exec();
    }

    private static List<String> ulimits(HostConfig host) {
        return Arrays.stream(host.getUlimits()).map(u -> u.getName() + "=" + u.getSoft()).toList();
    }
}
