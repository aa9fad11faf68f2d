package org.texfarm.loadtest.report;

import java.util.List;
import java.util.Map;

/**
 * What one run against one target measured, in its measurement window. Latencies in milliseconds,
 * of compiles that succeeded with a TeX run unless said otherwise; throughput in compiles per second.
 *
 * @param target           "service" or "bare"
 * @param measuredSeconds  the measurement window
 * @param sent             compiles sent, warm-up included
 * @param completed        compiles that succeeded with a TeX run
 * @param cacheHits        compiles answered from the service's result cache, with no TeX run
 * @param errors           compiles that failed: a failed document, a timeout, a server or connection error
 * @param rejections       compiles turned away (503 busy, 423 project compiling)
 * @param throughput       completed per second
 * @param latency          all completed compiles
 * @param byKind           by kind of compile: first, edit, unchanged
 * @param throughputByKind completed per second by kind
 * @param answersPerSecond every successful answer per second, TeX run or result cache: like with like
 *                         against bare TeX, which answers every request with a TeX run
 * @param answerLatency    every successful answer
 * @param answersByKind    every successful answer, by kind
 * @param answersPerSecondByKind every successful answer per second, by kind
 * @param byDocument       by document, then kind
 * @param cached           result-cache answers, by kind
 * @param stages           the service's {@code timings}, by stage
 * @param statuses         every measured compile's status, counted
 * @param timeline         the whole run, warm-up included, interval by interval
 * @param percentileCurves latency by percentile, by kind, for charts
 */
public record RunSummary(
        String target,
        double measuredSeconds,
        long sent,
        long completed,
        long cacheHits,
        long errors,
        long rejections,
        double throughput,
        LatencySummary latency,
        Map<String, LatencySummary> byKind,
        Map<String, Double> throughputByKind,
        double answersPerSecond,
        LatencySummary answerLatency,
        Map<String, LatencySummary> answersByKind,
        Map<String, Double> answersPerSecondByKind,
        Map<String, Map<String, LatencySummary>> byDocument,
        Map<String, LatencySummary> cached,
        Map<String, LatencySummary> stages,
        Map<String, Long> statuses,
        List<TimePoint> timeline,
        Map<String, List<PercentilePoint>> percentileCurves) {
}
