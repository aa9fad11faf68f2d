package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.texfarm.config.ServiceConfig;
import org.texfarm.sandbox.ContainerLabels;
import org.texfarm.sandbox.DockerEngine;

/** The service opens its port only when it can compile, and cleans up after an earlier run of itself. */
class StartupIT {
    @TempDir
    Path dataDir;

    private ServiceConfig config(Map<String, String> settings) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("DATA_DIR", dataDir.toString(), "PORT", "3999",
                "TEXLIVE_IMAGE", RunningService.IMAGE));
        env.putAll(settings);
        return ServiceConfig.fromEnvironment(env);
    }

    @Test
    void refusesToStartWithoutTheImageAndSaysHowToBuildIt() {
        assertThatThrownBy(() -> CompileServer.start(config(Map.of("TEXLIVE_IMAGE", "texlive-sandbox:no-such-tag"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("texlive-sandbox:no-such-tag is not present")
                .hasMessageContaining("sandbox-images/build");
    }

    @Test
    void refusesToStartWithoutAnImageOnlyACompileGroupAllows() {
        assertThatThrownBy(() -> CompileServer.start(config(Map.of("COMPILE_GROUP_PRIORITY_IMAGES", "texlive-sandbox:no-such-tag"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("texlive-sandbox:no-such-tag is not present");
    }

    @Test
    void refusesToStartWithARuntimeTheEngineLacksAndNamesThoseItHas() {
        assertThatThrownBy(() -> CompileServer.start(config(Map.of("COMPILE_GROUP_PRIORITY_RUNTIME", "no-such-runtime"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no runtime 'no-such-runtime' (SANDBOX_RUNTIME, or a compile group's runtime)")
                .hasMessageContaining("runc");
    }

    @Test
    void refusesToStartWithoutADockerEngineAndSaysWhatToDo() {
        assertThatThrownBy(() -> CompileServer.start(config(Map.of("DOCKER_HOST", "unix://" + dataDir.resolve("no.sock")))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Docker engine answers")
                .hasMessageContaining("DOCKER_HOST");
    }

    @Test
    void removesContainersLeftByAnEarlierRunOfTheSameInstanceOnly() throws Exception {
        Files.writeString(dataDir.resolve("instance-id"), "0badc0ffee00\n");
        try (DockerClient docker = DockerEngine.connect("unix:///var/run/docker.sock", 2)) {
            String ours = docker.createContainerCmd(RunningService.IMAGE).withCmd("true")
                    .withLabels(Map.of(ContainerLabels.SERVICE, ContainerLabels.SERVICE_NAME,
                            ContainerLabels.INSTANCE, "0badc0ffee00"))
                    .exec().getId();
            String another = docker.createContainerCmd(RunningService.IMAGE).withCmd("true")
                    .withLabels(Map.of(ContainerLabels.SERVICE, ContainerLabels.SERVICE_NAME,
                            ContainerLabels.INSTANCE, "0therinstanc"))
                    .exec().getId();
            try (CompileServer server = CompileServer.start(config(Map.of()))) {
                List<String> remaining = docker.listContainersCmd().withShowAll(true).exec().stream()
                        .map(c -> c.getId()).toList();
                assertThat(server.instanceId()).isEqualTo("0badc0ffee00");
                assertThat(remaining).doesNotContain(ours).contains(another);
            } finally {
                docker.removeContainerCmd(another).withForce(true).exec();
            }
        }
    }
}
