package org.texfarm.loadtest.drive;

import java.time.Duration;

/**
 * When a run measures and when it stops. The run sends compiles for {@code warmup} plus
 * {@code duration} (compiles that start in the warm-up are not measured), at most
 * {@code maxRequests} of them, then waits at most {@code drain} for those in flight and abandons
 * the rest. Load rises linearly over the first {@code ramp}.
 */
public record RunLimits(Duration warmup, Duration duration, Duration ramp, long maxRequests, Duration drain) {
    public RunLimits {
        if (warmup.isNegative() || ramp.isNegative() || drain.isNegative()) {
            throw new IllegalArgumentException("warm-up, ramp and drain must not be negative");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("the duration must be positive, not " + duration);
        }
        if (ramp.compareTo(warmup.plus(duration)) > 0) {
            throw new IllegalArgumentException("the ramp (" + ramp + ") must end within the run (" + warmup.plus(duration) + ")");
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("at least one request must be allowed, not " + maxRequests);
        }
    }

    /** The time of the i-th arrival (from 0) at {@code rate} per second, ramping up linearly over {@code ramp}. */
    long arrivalNanos(long i, double rate) {
        double ramp = this.ramp.toNanos() / 1e9;
        // Arrivals so far are the integral of the rate: rate * t^2 / (2 * ramp) while it ramps, then linear.
        double seconds = ramp > 0 && i < rate * ramp / 2 ? Math.sqrt(2 * i * ramp / rate) : i / rate + ramp / 2;
        return Math.round(seconds * 1e9);
    }
}
