package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.texfarm.metrics.LatencyBuckets;

/** What operators scrape from {@code /metrics} once the service has compiled. */
class MetricsIT {
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "by", "rate", "histogram_quantile", "le", "stage", "status", "group",
            "outcome");

    @Test
    void exposesCompileStorageSandboxAndJvmMetricsInPrometheusFormat() throws Exception {
        try (RunningService service = RunningService.start(Map.of("PRECOMPILE_PREAMBLES", "false"))) {
            assertThat(service.compile("measured", document("Measured.").json()).compileStatus()).isEqualTo("success");

            RunningService.Response metrics = service.send(HttpRequest.newBuilder(service.uri("/metrics")).GET());

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.raw().headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            assertThat(metrics.text()).contains(
                    "compiles_total{cached=\"false\",engine=\"pdflatex\",group=\"standard\",status=\"success\"} 1.0",
                    "compile_stage_seconds_count{stage=\"compile\"} 1",
                    "compiles_running{group=\"standard\"} ", "compiles_queued{group=\"priority\"} ", "sandbox_active ", "sandbox_pool_idle ",
                    "sandbox_pool_takes_total", "sandbox_kept ", "sandbox_kept_reuses_total", "sandbox_latexmk_lookups_total",
                    "store_misses_total", "compile_result_cache_total",
                    "disk_free_bytes ", "jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds");
            assertThat(dashboardMetrics()).isNotEmpty().allSatisfy(name -> assertThat(metrics.text()).contains(name));
        }
    }

    @Test
    void keepsThePageShortAndCountsTheHealthChecksCompilesApart() throws Exception {
        try (RunningService service = RunningService.start(Map.of("PRECOMPILE_PREAMBLES", "false"))) {
            assertThat(service.compile("user", document("A user's compile.").json()).compileStatus()).isEqualTo("success");
            assertThat(service.send(HttpRequest.newBuilder(service.uri("/smoke_test_force")).GET()).text()).isEqualTo("OK");

            String metrics = service.send(HttpRequest.newBuilder(service.uri("/metrics")).GET()).text();

            assertThat(metrics).contains("health_check_compiles_total{status=\"success\"} 1.0",
                    "compile_stage_seconds_count{stage=\"compile\"} 1\n");
            // A few buckets per stage (and +Inf), not Micrometer's percentile histogram of about 70.
            assertThat(metrics.lines().filter(line -> line.startsWith("compile_stage_seconds_bucket{")
                    && line.contains("stage=\"compile\""))).hasSize(LatencyBuckets.COMPILE.length + 1);
            assertThat(metrics.lines().count()).as("lines of /metrics").isLessThan(400);
        }
    }

    /** The metric names the Grafana dashboard in docs/ queries. */
    private static Set<String> dashboardMetrics() throws Exception {
        JsonObject dashboard = new JsonObject(Files.readString(Path.of("../docs/grafana-dashboard.json")));
        Set<String> names = new TreeSet<>();
        for (Object panel : dashboard.getJsonArray("panels")) {
            for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
                String expr = ((JsonObject) target).getString("expr").replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "");
                Matcher word = Pattern.compile("[a-z_][a-z0-9_]*").matcher(expr);
                while (word.find()) {
                    if (!PROMQL_WORDS.contains(word.group())) {
                        names.add(word.group());
                    }
                }
            }
        }
        return names;
    }
}
