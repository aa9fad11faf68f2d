package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.texfarm.sandbox.DockerEngine;

/** {@code /smoke_test_force} (CLSI's text answer) and {@code /health_check} (our report) with a real smoke-test compile. */
class HealthCheckIT {
    private static final String ALIAS = "texlive-sandbox:health-alias";

    private static RunningService.Response get(RunningService service, String path) {
        return service.send(HttpRequest.newBuilder(service.uri(path)).GET());
    }

    @Test
    void reportsHealthyAfterASmokeTestCompile() throws Exception {
        try (RunningService service = RunningService.start(Map.of("PRECOMPILE_PREAMBLES", "false"))) {
            RunningService.Response forced = get(service, "/smoke_test_force");
            RunningService.Response last = get(service, "/health_check");

            assertThat(forced.status()).as(forced.text()).isEqualTo(200);
            assertThat(forced.text()).isEqualTo("OK");
            assertThat(last.status()).isEqualTo(200);
            JsonObject report = new JsonObject(last.text());
            assertThat(report.getBoolean("healthy")).isTrue();
            assertThat(report.getJsonObject("checks").getMap()).containsEntry("smokeTest", "ok")
                    .containsEntry("docker", "ok").containsEntry("disk", "ok");
        }
    }

    @Test
    void reportsUnhealthyWithTheReasonWhenItsImageIsGone() throws Exception {
        try (DockerClient docker = DockerEngine.connect("unix:///var/run/docker.sock", 2)) {
            String[] alias = ALIAS.split(":");
            docker.tagImageCmd(RunningService.IMAGE, alias[0], alias[1]).exec();
            try (RunningService service = RunningService.start(Map.of("TEXLIVE_IMAGE", ALIAS, "SANDBOX_POOL_SIZE", "0",
                    "PRECOMPILE_PREAMBLES", "false"))) {
                docker.removeImageCmd(ALIAS).exec();

                RunningService.Response forced = get(service, "/smoke_test_force");
                RunningService.Response last = get(service, "/health_check");

                assertThat(forced.status()).isEqualTo(500);
                assertThat(forced.text()).contains("smokeTest: ", ALIAS);
                assertThat(last.status()).isEqualTo(500);
                JsonObject report = new JsonObject(last.text());
                assertThat(report.getBoolean("healthy")).isFalse();
                assertThat(report.getJsonObject("checks").getString("smokeTest")).contains("unavailable", ALIAS);
                assertThat(report.getJsonObject("checks").getString("docker")).isEqualTo("ok");
            }
        }
    }
}
