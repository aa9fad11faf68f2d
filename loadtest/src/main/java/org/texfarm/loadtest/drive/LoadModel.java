package org.texfarm.loadtest.drive;

import java.time.Duration;

/** How load arrives: at a fixed rate whatever the server does, or from a fixed number of editors. */
public sealed interface LoadModel {

    /**
     * Compiles arrive at {@code ratePerSecond}, evenly spaced, whether or not earlier ones have
     * been answered; latency counts from each compile's place in that schedule.
     */
    record Open(double ratePerSecond) implements LoadModel {
        public Open {
            if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
                throw new IllegalArgumentException("the rate must be a positive number of compiles per second, not " + ratePerSecond);
            }
        }
    }

    /**
     * {@code editors} editors each compile, wait for the answer, then think for a random time
     * (exponentially distributed, mean {@code think}; zero for back-to-back compiles).
     */
    record Closed(int editors, Duration think) implements LoadModel {
        public Closed {
            if (editors < 1) {
                throw new IllegalArgumentException("there must be at least one editor, not " + editors);
            }
            if (think.isNegative()) {
                throw new IllegalArgumentException("the think time must not be negative, not " + think);
            }
        }
    }
}
