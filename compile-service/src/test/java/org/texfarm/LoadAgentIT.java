package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The load-balancer agent answering HAProxy's agent-check over real TCP connections. */
class LoadAgentIT {

    /** Connects to the agent as HAProxy does and reads its one line. */
    private static String agentSays(RunningService service) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", service.agentPort())) {
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static RunningService.Response setState(RunningService service, String body) {
        return service.send(HttpRequest.newBuilder(service.uri("/admin/load-agent"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void answersReadyWithItsFreeCapacityThenDrainAndMaintenanceAsTheOperatorSets() throws Exception {
        try (RunningService service = RunningService.start(Map.of("MAX_CONCURRENT_COMPILES", "1", "COMPILE_QUEUE_SIZE", "1",
                "PRECOMPILE_PREAMBLES", "false"))) {
            assertThat(agentSays(service)).isEqualTo("up, ready, 100%\n");

            CompletableFuture<RunningService.Response> busy = CompletableFuture.supplyAsync(() -> service.compile("busy",
                    document("\\count255=0 \\loop\\advance\\count255 by 1 \\ifnum\\count255<8000000 \\repeat Busy.").json()));
            String whileBusy = agentSays(service);
            while (whileBusy.equals("up, ready, 100%\n") && !busy.isDone()) {
                whileBusy = agentSays(service);
            }
            assertThat(whileBusy).isEqualTo("up, ready, 50%\n");
            assertThat(busy.get().compileStatus()).isEqualTo("success");

            RunningService.Response drain = setState(service, "{\"state\": \"drain\"}");
            assertThat(drain.status()).isEqualTo(200);
            assertThat(new JsonObject(drain.text()).getString("state")).isEqualTo("drain");
            assertThat(agentSays(service)).isEqualTo("up, drain\n");
            setState(service, "{\"state\": \"maint\"}");
            assertThat(agentSays(service)).isEqualTo("maint\n");
            setState(service, "{\"state\": \"ready\"}");
            assertThat(agentSays(service)).isEqualTo("up, ready, 100%\n");
            RunningService.Response bad = setState(service, "{\"state\": \"sleepy\"}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.text()).contains("unknown agent state 'sleepy'");
        }
    }

    @Test
    void drainsWhenTheDiskIsUnderItsMinimum() throws Exception {
        try (RunningService service = RunningService.start(Map.of("DISK_MIN_FREE", "1000t"))) {
            assertThat(agentSays(service)).isEqualTo("up, drain\n");
        }
    }
}
