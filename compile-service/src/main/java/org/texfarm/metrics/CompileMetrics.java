package org.texfarm.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;

/**
 * Compiles by outcome, engine and group ({@code compiles_total}), and the time of each stage of a compile
 * ({@code compile_stage_seconds}, a histogram per stage: queue, sync, sandbox, compile, output and
 * compileE2E, in {@link LatencyBuckets#COMPILE}). The health check's smoke-test compiles are counted
 * apart ({@code health_check_compiles_total}) and stay out of the stage times, which are users'.
 */
public final class CompileMetrics {
    private final MeterRegistry registry;

    public CompileMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A smoke-test compile of the health check, and how it ended. */
    public void recordHealthCheck(String status) {
        Counter.builder("health.check.compiles").description("the health check's smoke-test compiles, by outcome")
                .tag("status", status).register(registry).increment();
    }

    public void record(String status, String engine, String group, boolean cached, Map<String, Long> timings) {
        Counter.builder("compiles").description("compile requests answered, by outcome")
                .tag("status", status).tag("engine", engine).tag("group", group).tag("cached", Boolean.toString(cached))
                .register(registry).increment();
        timings.forEach((stage, millis) -> Timer.builder("compile.stage").description("time spent in each stage of a compile")
                .tag("stage", stage)
                .serviceLevelObjectives(LatencyBuckets.COMPILE)
                .register(registry)
                .record(Duration.ofMillis(millis)));
    }
}
