package org.texfarm.loadtest.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.texfarm.loadtest.workload.CompileKind;
import org.texfarm.loadtest.target.Outcome;

/**
 * What a run measured. Each compile's latency counts from its intended start (for the open
 * model, its place in the arrival schedule, so that a slow server cannot hide the requests it
 * delayed), into HdrHistograms of microseconds: by kind of compile, by document and kind, by the
 * service's stages, and per interval of the run. Result-cache answers are kept apart. Compiles
 * that started in the warm-up count only in the timeline. Thread-safe.
 */
public final class Results {
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(2);
    private static final int DIGITS = 3;

    private final String target;
    private final long startNanos;
    private final long measureFromNanos;
    private final long intervalNanos;
    private final Histogram all = histogram();
    private final Map<CompileKind, Histogram> byKind = new TreeMap<>();
    private final Map<String, Map<CompileKind, Histogram>> byDocument = new TreeMap<>();
    private final Map<CompileKind, Histogram> cacheHits = new TreeMap<>();
    /** Every successful answer, from a TeX run or the result cache: what an editor gets, and what bare TeX is held to. */
    private final Histogram answers = histogram();
    private final Map<CompileKind, Histogram> answersByKind = new TreeMap<>();
    private final Map<String, Histogram> stages = new LinkedHashMap<>();
    private final Map<String, Long> statuses = new TreeMap<>();
    private final TreeMap<Long, Interval> timeline = new TreeMap<>();
    private long sent;
    private long lastEndNanos;

    /** One interval of the run: the compiles that ended in it. */
    private static final class Interval {
        final Histogram latency = histogram();
        long errors;
    }

    /**
     * @param target           "service" or "bare"
     * @param startNanos       when the run started ({@link System#nanoTime()})
     * @param measureFromNanos compiles that start before this are warm-up
     * @param interval         the timeline's resolution
     */
    public Results(String target, long startNanos, long measureFromNanos, Duration interval) {
        this.target = target;
        this.startNanos = startNanos;
        this.measureFromNanos = measureFromNanos;
        this.intervalNanos = interval.toNanos();
    }

    public synchronized void sent() {
        sent++;
    }

    public synchronized void record(String document, CompileKind kind, Outcome outcome, long intendedNanos, long endNanos) {
        long micros = Math.max(1, TimeUnit.NANOSECONDS.toMicros(endNanos - intendedNanos));
        boolean error = !outcome.succeeded() && !outcome.rejected();
        Interval interval = timeline.computeIfAbsent((endNanos - startNanos) / intervalNanos, i -> new Interval());
        if (outcome.succeeded()) {
            interval.latency.recordValue(Math.min(micros, HIGHEST_MICROS));
        } else if (error) {
            interval.errors++;
        }
        lastEndNanos = Math.max(lastEndNanos, endNanos);
        if (intendedNanos < measureFromNanos) {
            return;
        }
        statuses.merge(outcome.status(), 1L, Long::sum);
        if (!outcome.succeeded()) {
            return;
        }
        long value = Math.min(micros, HIGHEST_MICROS);
        answers.recordValue(value);
        answersByKind.computeIfAbsent(kind, k -> histogram()).recordValue(value);
        if (outcome.cached()) {
            cacheHits.computeIfAbsent(kind, k -> histogram()).recordValue(value);
            return;
        }
        all.recordValue(value);
        byKind.computeIfAbsent(kind, k -> histogram()).recordValue(value);
        byDocument.computeIfAbsent(document, d -> new TreeMap<>()).computeIfAbsent(kind, k -> histogram()).recordValue(value);
        outcome.stages().forEach((stage, millis) -> stages.computeIfAbsent(stage, s -> histogram())
                .recordValue(Math.min(Math.max(1, millis * 1000), HIGHEST_MICROS)));
    }

    /** The run so far, for the progress line: measured compiles, errors, rejections and latency. */
    public synchronized Progress progress(long nowNanos) {
        long errors = 0;
        long rejections = 0;
        for (Map.Entry<String, Long> status : statuses.entrySet()) {
            if (status.getKey().equals("success")) {
                continue;
            }
            if (Outcome.isRejection(status.getKey())) {
                rejections += status.getValue();
            } else {
                errors += status.getValue();
            }
        }
        return new Progress((nowNanos - startNanos) / 1e9, sent, all.getTotalCount(),
                cacheHits.values().stream().mapToLong(Histogram::getTotalCount).sum(), errors, rejections,
                all.getTotalCount() == 0 ? 0 : all.getValueAtPercentile(50) / 1000.0,
                all.getTotalCount() == 0 ? 0 : all.getValueAtPercentile(99) / 1000.0);
    }

    /**
     * @param seconds      since the run started
     * @param completed    measured compiles that succeeded with a TeX run
     * @param cacheHits    measured compiles answered from the result cache
     * @param errors       measured compiles that failed
     * @param rejections   measured compiles turned away (busy, locked)
     */
    public record Progress(double seconds, long sent, long completed, long cacheHits, long errors, long rejections,
                           double p50Millis, double p99Millis) {
    }

    /** Everything measured, with throughput over {@code measuredSeconds} (the measurement window). */
    public synchronized RunSummary summary(double measuredSeconds) {
        Map<String, LatencySummary> kinds = new LinkedHashMap<>();
        Map<String, List<PercentilePoint>> curves = new LinkedHashMap<>();
        Map<String, Double> throughput = new LinkedHashMap<>();
        byKind.forEach((kind, histogram) -> {
            kinds.put(kind.label(), LatencySummary.of(histogram));
            curves.put(kind.label(), LatencySummary.curve(histogram));
            throughput.put(kind.label(), histogram.getTotalCount() / measuredSeconds);
        });
        Map<String, Map<String, LatencySummary>> documents = new LinkedHashMap<>();
        byDocument.forEach((document, perKind) -> {
            Map<String, LatencySummary> summaries = new LinkedHashMap<>();
            perKind.forEach((kind, histogram) -> summaries.put(kind.label(), LatencySummary.of(histogram)));
            documents.put(document, summaries);
        });
        Map<String, LatencySummary> answerKinds = new LinkedHashMap<>();
        Map<String, Double> answerRates = new LinkedHashMap<>();
        answersByKind.forEach((kind, histogram) -> {
            answerKinds.put(kind.label(), LatencySummary.of(histogram));
            answerRates.put(kind.label(), histogram.getTotalCount() / measuredSeconds);
        });
        Map<String, LatencySummary> cached = new LinkedHashMap<>();
        cacheHits.forEach((kind, histogram) -> cached.put(kind.label(), LatencySummary.of(histogram)));
        Map<String, LatencySummary> stageSummaries = new LinkedHashMap<>();
        stages.forEach((stage, histogram) -> stageSummaries.put(stage, LatencySummary.of(histogram)));
        Progress totals = progress(lastEndNanos);
        return new RunSummary(target, measuredSeconds, sent, totals.completed(), totals.cacheHits(), totals.errors(),
                totals.rejections(), all.getTotalCount() / measuredSeconds, LatencySummary.of(all), kinds, throughput,
                answers.getTotalCount() / measuredSeconds, LatencySummary.of(answers), answerKinds, answerRates,
                documents, cached, stageSummaries, new TreeMap<>(statuses), timeline(), curves);
    }

    /** Every interval from the start to the last answer, empty ones included. */
    private List<TimePoint> timeline() {
        double seconds = intervalNanos / 1e9;
        long last = timeline.isEmpty() ? -1 : timeline.lastKey();
        List<TimePoint> points = new ArrayList<>();
        for (long index = 0; index <= last; index++) {
            Interval interval = timeline.getOrDefault(index, new Interval());
            Histogram latency = interval.latency;
            boolean any = latency.getTotalCount() > 0;
            points.add(new TimePoint((index + 1) * seconds, latency.getTotalCount(), interval.errors,
                    any ? latency.getValueAtPercentile(50) / 1000.0 : 0, any ? latency.getValueAtPercentile(99) / 1000.0 : 0,
                    any ? latency.getMaxValue() / 1000.0 : 0));
        }
        return points;
    }

    private static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, DIGITS);
    }
}
