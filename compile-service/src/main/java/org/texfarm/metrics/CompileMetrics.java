package org.texfarm.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;

/**
 * Compiles by outcome, engine and group ({@code compiles_total}), and the time of each stage of a compile
 * ({@code compile_stage_seconds}, a histogram per stage: queue, sync, sandbox, compile, output and
 * compileE2E).
 */
public final class CompileMetrics {
    private final MeterRegistry registry;

    public CompileMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String status, String engine, String group, boolean cached, Map<String, Long> timings) {
        Counter.builder("compiles").description("compile requests answered, by outcome")
                .tag("status", status).tag("engine", engine).tag("group", group).tag("cached", Boolean.toString(cached))
                .register(registry).increment();
        timings.forEach((stage, millis) -> Timer.builder("compile.stage").description("time spent in each stage of a compile")
                .tag("stage", stage)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry)
                .record(Duration.ofMillis(millis)));
    }
}
