package org.texfarm.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.texfarm.loadtest.target.Outcome;
import org.texfarm.loadtest.workload.CompileKind;

class ReportWriterTest {
    @TempDir
    Path dir;

    private static RunSummary run(String target, long editMillis) {
        Results results = new Results(target, 0, 0, Duration.ofSeconds(1));
        long ms = Duration.ofMillis(1).toNanos();
        for (int i = 0; i < 20; i++) {
            long start = i * 100 * ms;
            results.record("article", CompileKind.EDIT, new Outcome("success", false, Map.of("compile", editMillis), null),
                    start, start + editMillis * ms);
            results.record("article", CompileKind.FIRST, new Outcome("success", false, Map.of(), null), start, start + 900 * ms);
        }
        results.record("article", CompileKind.UNCHANGED, new Outcome("success", true, Map.of(), null), 0, 5 * ms);
        return results.summary(2);
    }

    @Test
    void writesAValidJsonMarkdownAndChartsReport() throws Exception {
        Report report = Report.of("2026-11-26T12:00:00Z", Map.of("model", "closed", "editors", "2"), run("service", 440),
                run("bare", 400), List.of("a note for the reader"));

        ReportWriter.write(report, dir);

        JsonNode json = new ObjectMapper().readTree(dir.resolve(ReportWriter.JSON).toFile());
        assertThat(json.path("service").path("byKind").path("edit").path("p50").asDouble()).isBetween(439.0, 441.0);
        assertThat(json.path("service").path("cached").path("unchanged").path("count").asLong()).isEqualTo(1);
        assertThat(json.path("comparedToBare").path("edit").path("medianLatency").asDouble()).isBetween(1.09, 1.11);
        assertThat(json.path("bare").path("target").asText()).isEqualTo("bare");
        assertThat(json.path("notes").get(0).asText()).isEqualTo("a note for the reader");

        String markdown = Files.readString(dir.resolve(ReportWriter.MARKDOWN));
        assertThat(markdown).contains("# Load test report", "| editors | `2` |", "## The service against bare TeX",
                "| edit | 10.00 (0.00) | 10.00 | 1.00x | 1.10x |", "- a note for the reader", "![throughput.svg](throughput.svg)");
        assertThat(markdown.lines().filter(line -> line.startsWith("| edit |"))).isNotEmpty();

        for (String chart : ReportWriter.CHARTS) {
            assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve(chart).toFile())
                    .getDocumentElement().getTagName()).isEqualTo("svg");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("report.json", "report.md", "latency-over-time.svg",
                            "latency-percentiles.svg", "throughput.svg");
        }
    }

    @Test
    void comparesAnswersWithAnswersCountingTheServicesCachedOnesApart() throws Exception {
        long ms = Duration.ofMillis(1).toNanos();
        Results service = new Results("service", 0, 0, Duration.ofSeconds(1));
        Results bare = new Results("bare", 0, 0, Duration.ofSeconds(1));
        for (int i = 0; i < 10; i++) {
            long start = i * 100 * ms;
            service.record("article", CompileKind.EDIT, new Outcome("success", false, Map.of(), null), start, start + 500 * ms);
            service.record("article", CompileKind.UNCHANGED, new Outcome("success", true, Map.of(), null), start, start + 5 * ms);
            bare.record("article", CompileKind.EDIT, new Outcome("success", false, Map.of(), null), start, start + 500 * ms);
            bare.record("article", CompileKind.UNCHANGED, new Outcome("success", false, Map.of(), null), start, start + 250 * ms);
        }

        Report report = Report.of("now", Map.of(), service.summary(10), bare.summary(10), List.of());

        // Half the service's answers came from its cache: counted, as bare TeX's reruns are.
        assertThat(report.comparedToBare().get("all").answersPerSecond()).isEqualTo(1.0);
        assertThat(report.comparedToBare().get("unchanged").medianLatency()).isLessThan(0.05);
        ReportWriter.write(report, dir);
        assertThat(Files.readString(dir.resolve(ReportWriter.MARKDOWN))).contains(
                "| all | 2.00 (1.00) | 2.00 | 1.00x |", "| unchanged | 1.00 (1.00) | 1.00 | 1.00x |",
                "20 answered (2.00 per second): 10 with a TeX run (1.00 per second), 10 from the result cache");
    }

    @Test
    void aRunWithoutBareTeXHasNoComparison() throws Exception {
        ReportWriter.write(Report.of("now", Map.of(), run("service", 300), null, List.of()), dir);

        assertThat(new ObjectMapper().readTree(dir.resolve(ReportWriter.JSON).toFile()).path("comparedToBare").isEmpty()).isTrue();
        assertThat(Files.readString(dir.resolve(ReportWriter.MARKDOWN))).doesNotContain("against bare TeX");
    }
}
