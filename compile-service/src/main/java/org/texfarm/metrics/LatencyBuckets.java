package org.texfarm.metrics;

import java.time.Duration;
import java.util.Arrays;

/**
 * The few histogram buckets the service publishes per latency series, instead of Micrometer's
 * percentile histogram (about 70 buckets each): enough for the dashboard's medians and p95 and for
 * SLO alerts at round numbers, and a {@code /metrics} page an operator can read.
 */
public final class LatencyBuckets {
    /** Compile stages: from a millisecond (a cached answer) to the longest timeout. */
    public static final Duration[] COMPILE = seconds(0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180, 600);
    /** SyncTeX queries: from well under a millisecond (warm) to reading a large build's data. */
    public static final Duration[] SYNCTEX = seconds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5);

    private LatencyBuckets() {
    }

    private static Duration[] seconds(double... bounds) {
        return Arrays.stream(bounds).mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
    }
}
