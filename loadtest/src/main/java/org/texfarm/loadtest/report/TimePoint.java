package org.texfarm.loadtest.report;

/** One interval of a run: what completed in it and how long those took (milliseconds). */
public record TimePoint(double secondsFromStart, long completed, long errors, double p50Millis, double p99Millis,
        double maxMillis) {
}
