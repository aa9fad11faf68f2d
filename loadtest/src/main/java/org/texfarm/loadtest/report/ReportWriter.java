package org.texfarm.loadtest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a report into a directory: {@code report.json} (every figure, for machines),
 * {@code report.md} (for a pull request) and three charts ({@code latency-over-time.svg},
 * {@code latency-percentiles.svg}, {@code throughput.svg}). Each file is written whole or not at all.
 */
public final class ReportWriter {
    public static final String JSON = "report.json";
    public static final String MARKDOWN = "report.md";
    public static final List<String> CHARTS = List.of("latency-over-time.svg", "latency-percentiles.svg", "throughput.svg");

    private ReportWriter() {
    }

    public static void write(Report report, Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        writeAtomically(dir.resolve(JSON), json.writeValueAsString(report));
        writeAtomically(dir.resolve(MARKDOWN), markdown(report));
        RunSummary service = report.service();
        writeAtomically(dir.resolve(CHARTS.get(0)), SvgCharts.latencyOverTime(
                "Latency over time (" + service.target() + ", completed compiles)", service.timeline()));
        Map<String, List<PercentilePoint>> curves = new LinkedHashMap<>();
        service.percentileCurves().forEach((kind, points) -> curves.put(service.target() + " " + kind, points));
        if (report.bare() != null) {
            report.bare().percentileCurves().forEach((kind, points) -> curves.put("bare " + kind, points));
        }
        writeAtomically(dir.resolve(CHARTS.get(1)), SvgCharts.percentiles("Latency by percentile", curves));
        writeAtomically(dir.resolve(CHARTS.get(2)), SvgCharts.throughput(
                "Throughput (" + service.target() + ")", service.timeline()));
    }

    static String markdown(Report report) {
        StringBuilder md = new StringBuilder("# Load test report\n\n");
        md.append("Started ").append(report.startedAt()).append(".\n\n| Setting | Value |\n|---|---|\n");
        report.settings().forEach((name, value) -> md.append("| ").append(name).append(" | `").append(value).append("` |\n"));
        run(md, report.service());
        if (report.bare() != null) {
            run(md, report.bare());
            RunSummary service = report.service();
            RunSummary bare = report.bare();
            md.append("\n## The service against bare TeX\n\n")
                    .append("Like with like: every successful answer on each side, for the same mix of compiles at the same"
                            + " concurrency. Bare latexmk answers every request with a TeX run; the service answers some from"
                            + " its result cache, which are counted here and shown apart above. Ratios are service / bare"
                            + " (answers per second: higher is better; latency: lower is better, 1 is bare TeX's own).\n\n")
                    .append("| Compiles | service answers per second (of them from the cache) | bare answers per second"
                            + " | answers per second | median latency | p99 latency |\n|---|---|---|---|---|---|\n");
            report.comparedToBare().forEach((kind, comparison) -> {
                boolean all = kind.equals("all");
                double serviceRate = all ? service.answersPerSecond() : service.answersPerSecondByKind().get(kind);
                LatencySummary cached = all ? null : service.cached().get(kind);
                double cachedRate = (all ? service.cacheHits() : cached == null ? 0 : cached.count()) / service.measuredSeconds();
                double bareRate = all ? bare.answersPerSecond() : bare.answersPerSecondByKind().get(kind);
                md.append(String.format(Locale.ROOT, "| %s | %.2f (%.2f) | %.2f | %s | %s | %s |%n", kind, serviceRate,
                        cachedRate, bareRate, ratio(comparison.answersPerSecond()), ratio(comparison.medianLatency()),
                        ratio(comparison.p99Latency())));
            });
        }
        if (!report.notes().isEmpty()) {
            md.append("\n## Notes\n\n");
            report.notes().forEach(note -> md.append("- ").append(note).append('\n'));
        }
        md.append("\n## Charts\n\n");
        CHARTS.forEach(chart -> md.append("![").append(chart).append("](").append(chart).append(")\n"));
        return md.toString();
    }

    private static void run(StringBuilder md, RunSummary run) {
        md.append("\n## ").append(run.target().equals("bare") ? "Bare latexmk" : "The service").append("\n\n")
                .append(String.format(Locale.ROOT, "%.1f s measured: %d compiles sent (warm-up included), %d answered"
                                + " (%.2f per second): %d with a TeX run (%.2f per second), %d from the result cache;"
                                + " %d errors, %d rejected.%n%n",
                        run.measuredSeconds(), run.sent(), run.completed() + run.cacheHits(), run.answersPerSecond(),
                        run.completed(), run.throughput(), run.cacheHits(), run.errors(), run.rejections()))
                .append("Latency in ms, from each compile's intended start to its answer; compiles with a TeX run.\n\n");
        md.append(latencyHeader("Compiles"));
        latencyRow(md, "all", run.latency(), run.throughput());
        run.byKind().forEach((kind, latency) -> latencyRow(md, kind, latency, run.throughputByKind().get(kind)));
        if (!run.byDocument().isEmpty()) {
            md.append("\nBy document:\n\n").append(latencyHeader("Document, compiles"));
            run.byDocument().forEach((document, kinds) -> kinds.forEach((kind, latency) ->
                    latencyRow(md, document + ", " + kind, latency, latency.count() / run.measuredSeconds())));
        }
        if (!run.cached().isEmpty()) {
            md.append("\nAnswered from the result cache (no TeX run):\n\n").append(latencyHeader("Compiles"));
            run.cached().forEach((kind, latency) -> latencyRow(md, kind, latency, latency.count() / run.measuredSeconds()));
        }
        if (!run.stages().isEmpty()) {
            md.append("\nThe service's stages (its own `timings`):\n\n").append(latencyHeader("Stage"));
            run.stages().forEach((stage, latency) -> latencyRow(md, stage, latency, latency.count() / run.measuredSeconds()));
        }
        md.append("\nStatuses: ");
        md.append(String.join(", ", run.statuses().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
        md.append(".\n");
    }

    private static String latencyHeader(String first) {
        return "| " + first + " | count | per second | p50 | p90 | p99 | p99.9 | max |\n|---|---|---|---|---|---|---|---|\n";
    }

    private static void latencyRow(StringBuilder md, String name, LatencySummary latency, double perSecond) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.0f | %.0f | %.0f | %.0f | %.0f |%n", name, latency.count(),
                perSecond, latency.p50(), latency.p90(), latency.p99(), latency.p999(), latency.max()));
    }

    private static String ratio(double ratio) {
        return ratio > 0 ? String.format(Locale.ROOT, "%.2fx", ratio) : "n/a";
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
