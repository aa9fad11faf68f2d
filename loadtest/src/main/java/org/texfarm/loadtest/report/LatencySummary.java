package org.texfarm.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Latency percentiles in milliseconds.
 *
 * @param count how many were recorded
 */
public record LatencySummary(long count, double p50, double p90, double p99, double p999, double max, double mean) {
    private static final double[] CURVE = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99, 99.5,
        99.9, 99.95, 99.99, 100};
    static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

    /** The summary of a histogram of microseconds. */
    static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(micros.getTotalCount(), millis(micros, 50), millis(micros, 90), millis(micros, 99),
                millis(micros, 99.9), micros.getMaxValue() / 1000.0, micros.getMean() / 1000.0);
    }

    /** The latency at a spread of percentiles, for a percentile chart. */
    static List<PercentilePoint> curve(Histogram micros) {
        List<PercentilePoint> points = new ArrayList<>();
        if (micros.getTotalCount() > 0) {
            for (double percentile : CURVE) {
                points.add(new PercentilePoint(percentile, millis(micros, percentile)));
            }
        }
        return points;
    }

    private static double millis(Histogram micros, double percentile) {
        return micros.getValueAtPercentile(percentile) / 1000.0;
    }
}
