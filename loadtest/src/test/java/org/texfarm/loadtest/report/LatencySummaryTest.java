package org.texfarm.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.texfarm.loadtest.target.Outcome;
import org.texfarm.loadtest.workload.CompileKind;

class LatencySummaryTest {
    @Test
    void percentilesOfOneToAThousandMillisecondsAreWhereTheyShouldBe() {
        Histogram micros = new Histogram(7_200_000_000L, 3);
        for (int millis = 1; millis <= 1000; millis++) {
            micros.recordValue(millis * 1000L);
        }

        LatencySummary summary = LatencySummary.of(micros);

        assertThat(summary.count()).isEqualTo(1000);
        assertThat(summary.p50()).isCloseTo(500, within(0.5));
        assertThat(summary.p90()).isCloseTo(900, within(0.9));
        assertThat(summary.p99()).isCloseTo(990, within(1.0));
        assertThat(summary.p999()).isCloseTo(999, within(1.0));
        assertThat(summary.max()).isCloseTo(1000, within(1.0));
        assertThat(summary.mean()).isCloseTo(500.5, within(0.5));
    }

    @Test
    void aSkewedDistributionHasALongTail() {
        Histogram micros = new Histogram(7_200_000_000L, 3);
        micros.recordValueWithCount(100_000, 990);
        micros.recordValueWithCount(5_000_000, 10);

        LatencySummary summary = LatencySummary.of(micros);

        assertThat(summary.p50()).isCloseTo(100, within(0.1));
        assertThat(summary.p99()).isCloseTo(100, within(0.1));
        assertThat(summary.p999()).isCloseTo(5000, within(5.0));
        assertThat(summary.mean()).isCloseTo(149, within(1.0));
    }

    @Test
    void anEmptyHistogramSummarisesToZerosAndNoCurve() {
        Histogram micros = new Histogram(7_200_000_000L, 3);

        assertThat(LatencySummary.of(micros)).isEqualTo(new LatencySummary(0, 0, 0, 0, 0, 0, 0));
        assertThat(LatencySummary.curve(micros)).isEmpty();
    }

    @Test
    void resultsCountFromTheIntendedStartAndKeepWarmUpCacheHitsAndErrorsApart() {
        long start = 0;
        long measureFrom = Duration.ofSeconds(10).toNanos();
        Results results = new Results("service", start, measureFrom, Duration.ofSeconds(5));
        Outcome success = new Outcome("success", false, Map.of("compile", 400L, "queue", 100L), null);
        long second = Duration.ofSeconds(1).toNanos();

        results.record("hello", CompileKind.FIRST, success, 2 * second, 3 * second);
        results.record("hello", CompileKind.FIRST, success, 11 * second, 13 * second);
        results.record("hello", CompileKind.EDIT, success, 12 * second, 12 * second + second / 2);
        results.record("hello", CompileKind.UNCHANGED, new Outcome("success", true, Map.of(), null), 14 * second,
                14 * second + second / 100);
        results.record("hello", CompileKind.EDIT, Outcome.failed("http-503", "busy"), 15 * second, 15 * second);
        results.record("hello", CompileKind.EDIT, new Outcome("failure", false, Map.of(), null), 16 * second, 17 * second);
        RunSummary summary = results.summary(10);

        assertThat(summary.completed()).as("the warm-up compile is not measured").isEqualTo(2);
        assertThat(summary.byKind().get("first").p50()).isCloseTo(2000, within(2.0));
        assertThat(summary.byKind().get("edit").p50()).isCloseTo(500, within(0.5));
        assertThat(summary.byKind()).doesNotContainKey("unchanged");
        assertThat(summary.cached().get("unchanged").count()).isEqualTo(1);
        assertThat(summary.cacheHits()).isEqualTo(1);
        assertThat(summary.rejections()).isEqualTo(1);
        assertThat(summary.errors()).isEqualTo(1);
        assertThat(summary.throughput()).isCloseTo(0.2, within(1e-9));
        assertThat(summary.stages().get("compile").p50()).isCloseTo(400, within(0.5));
        assertThat(summary.statuses()).containsEntry("success", 3L).containsEntry("http-503", 1L).containsEntry("failure", 1L);
        assertThat(summary.timeline()).hasSize(4);
        assertThat(summary.timeline().getFirst().completed()).as("the warm-up compile is in the timeline").isEqualTo(1);
        assertThat(summary.timeline().get(1).completed()).as("an empty interval is kept").isZero();
    }
}
