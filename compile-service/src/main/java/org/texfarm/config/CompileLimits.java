package org.texfarm.config;

import java.time.Duration;

/**
 * How many compiles run, how long they may take, how many builds are kept, and whether
 * preambles are precompiled.
 *
 * @param maxConcurrent  compiles that run at once, of all groups
 * @param queueCapacity  compiles that may wait for a slot, of all groups; past that, 503
 * @param buildsKept     newest builds of a project kept for download
 * @param preambleFormats whether pdflatex preambles are dumped into formats that later compiles load
 * @param preambleDumpAfter successful compiles of the same preamble without a format before it is dumped
 * @param shutdownGrace  how long running compiles may go on once the service is asked to stop; then they are stopped
 * @param healthCheckInterval how often the health check's smoke-test compile runs
 */
public record CompileLimits(
        int maxConcurrent,
        int queueCapacity,
        int buildsKept,
        boolean preambleFormats,
        int preambleDumpAfter,
        Duration shutdownGrace,
        Duration healthCheckInterval) {
}
