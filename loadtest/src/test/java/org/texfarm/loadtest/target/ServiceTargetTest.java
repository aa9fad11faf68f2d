package org.texfarm.loadtest.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceTargetTest {
    private final ServiceTarget target = new ServiceTarget(new ServiceTarget.Settings(URI.create("http://127.0.0.1:1/"),
            null, Duration.ofSeconds(1), 60, null), null);

    private Outcome read(int status, String body) {
        return target.outcome(status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheStatusStagesAndCacheHitsOfACompileAnswer() {
        Outcome compiled = read(200, """
                {"compile": {"status": "success", "error": null, "stats": {"latex-runs": 1},
                 "timings": {"sync": 3, "compile": 574, "output": 5, "compileE2E": 587}, "outputFiles": [],
                 "texfarm": {"timings": {"queue": 4, "sandbox": 1}, "resultCacheHit": false}}}""");
        Outcome cached = read(200, """
                {"compile": {"status": "success", "stats": {}, "timings": {"sync": 0, "compile": 0, "output": 0,
                 "compileE2E": 2}, "texfarm": {"timings": {"queue": 0}, "resultCacheHit": true}}}""");

        assertThat(compiled.succeeded()).isTrue();
        assertThat(compiled.cached()).isFalse();
        assertThat(compiled.stages()).containsEntry("compile", 574L).containsEntry("compileE2E", 587L)
                .containsEntry("queue", 4L).containsEntry("sandbox", 1L);
        assertThat(cached.cached()).isTrue();
    }

    @Test
    void namesRejectionsAndFailuresByTheirStatus() {
        Outcome busy = read(503, """
                {"compile": {"status": "unavailable", "error": "all compile slots are busy"}}""");
        Outcome locked = read(423, "{\"compile\": {\"status\": \"compile-in-progress\"}}");
        Outcome failed = read(200, "{\"compile\": {\"status\": \"failure\", \"error\": null}}");
        Outcome garbage = read(502, "<html>Bad gateway</html>");

        assertThat(busy.status()).isEqualTo("http-503");
        assertThat(busy.rejected()).isTrue();
        assertThat(busy.error()).isEqualTo("all compile slots are busy");
        assertThat(locked.rejected()).isTrue();
        assertThat(failed.status()).isEqualTo("failure");
        assertThat(failed.succeeded() || failed.rejected()).isFalse();
        assertThat(garbage.status()).isEqualTo("http-502");
        assertThat(garbage.rejected()).isFalse();
    }
}
