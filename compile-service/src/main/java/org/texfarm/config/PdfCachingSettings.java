package org.texfarm.config;

import java.time.Duration;

/**
 * PDF caching for Overleaf's viewer: the byte ranges of a PDF's large objects, so that a viewer
 * fetches only what changed since the builds it has seen.
 *
 * @param enabled       whether compiles that ask for it ({@code enablePdfCaching}) get ranges
 * @param minChunkBytes the smallest object that is a range, when a request does not say
 * @param maxTime       the longest the ranges may add to a compile; they take a quarter of the
 *                      compile's time at most, and at least a second
 */
public record PdfCachingSettings(boolean enabled, int minChunkBytes, Duration maxTime) {
    /** How long computing a compile's ranges may take, after a TeX run of {@code compileTime}, as CLSI bounds it. */
    public Duration timeFor(Duration compileTime) {
        Duration quarter = compileTime.dividedBy(4);
        Duration atLeast = quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : quarter;
        return atLeast.compareTo(maxTime) > 0 ? maxTime : atLeast;
    }
}
