package org.texfarm.loadtest.report;

/** The latency at one percentile (0 to 100, e.g. 99.9). */
public record PercentilePoint(double percentile, double millis) {
}
