package org.texfarm.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.texfarm.RunningService;
import org.texfarm.loadtest.report.ReportWriter;
import picocli.CommandLine;

/** The command against a real service and bare latexmk: it runs, stops by itself, and reports. */
class LoadTestIT {
    private static RunningService service;

    @TempDir
    Path out;

    @BeforeAll
    static void start() throws Exception {
        // No periodic smoke test: its own project would stand among the ones the tool must delete.
        service = RunningService.start(Map.of("URL_ALLOWED_HOSTS", "127.0.0.1", "HEALTH_CHECK_INTERVAL", "86400"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private int run(String... args) {
        return new CommandLine(new LoadTest()).execute(args);
    }

    private JsonNode report() throws Exception {
        return new ObjectMapper().readTree(out.resolve(ReportWriter.JSON).toFile());
    }

    @Test
    void editorsCompileEditAndRecompileAndTheReportSaysHowItWent() throws Exception {
        int status = run("--url", service.uri("/").toString(), "--model", "closed", "--editors", "2", "--think", "0",
                "--documents", "hello,article", "--mix", "first=2,edit=6,unchanged=2", "--warmup", "2s",
                "--duration", "8s", "--interval", "1s", "--out", out.toString());

        JsonNode report = report();
        JsonNode run = report.path("service");
        assertThat(status).isZero();
        assertThat(run.path("errors").asLong()).isZero();
        assertThat(run.path("completed").asLong()).isPositive();
        assertThat(run.path("byKind").path("edit").path("count").asLong()).isPositive();
        assertThat(run.path("byKind").path("edit").path("p50").asDouble()).isPositive();
        assertThat(run.path("stages").path("compile").path("count").asLong()).isPositive();
        assertThat(run.path("byDocument").has("hello") || run.path("byDocument").has("article")).isTrue();
        assertThat(run.path("statuses").path("success").asLong())
                .isEqualTo(run.path("completed").asLong() + run.path("cacheHits").asLong());
        for (String file : ReportWriter.CHARTS) {
            assertThat(out.resolve(file)).isNotEmptyFile();
        }
        assertThat(Files.readString(out.resolve(ReportWriter.MARKDOWN))).contains("| edit |");
        assertThat(service.dataDir().resolve("compiles/p")).as("the projects it made are deleted")
                .isEmptyDirectory();
    }

    @Test
    void compilesAFolderOfYourOwnProjectsWithTheirImagesByUrl(@TempDir Path projects) throws Exception {
        Path paper = projects.resolve("paper");
        Files.createDirectories(paper.resolve("figures"));
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", paper.resolve("figures/dot.png").toFile());
        Files.writeString(paper.resolve("main.tex"), """
                \\documentclass{article}
                \\usepackage{graphicx}
                \\begin{document}
                Our own paper with a small figure.
                \\includegraphics{figures/dot.png}
                \\end{document}
                """);

        int status = run("--url", service.uri("/").toString(), "--projects", projects.toString(), "--editors", "1",
                "--think", "0", "--mix", "first=1,edit=1", "--warmup", "0s", "--duration", "4s", "--out", out.toString());

        JsonNode report = report();
        assertThat(status).isZero();
        assertThat(report.path("service").path("byDocument").has("paper")).isTrue();
        assertThat(report.path("service").path("completed").asLong()).isPositive();
        assertThat(report.path("notes").isEmpty()).as("the service fetched the figure: " + report.path("notes")).isTrue();
    }

    @Test
    void anOpenModelRunWithAThesisSendsItsScheduleAndComparesWithBareTeX() throws Exception {
        int status = run("--url", service.uri("/").toString(), "--model", "open", "--rate", "1",
                "--documents", "hello=3,thesis=1", "--mix", "first=5,edit=5", "--warmup", "1s", "--duration", "6s",
                "--compare-bare", "--bare-cache", "/var/tmp/texfarm-loadtest-it", "--out", out.toString());

        JsonNode report = report();
        assertThat(status).isZero();
        assertThat(report.path("service").path("sent").asLong()).as("one a second for 7 s").isEqualTo(7);
        assertThat(report.path("bare").path("sent").asLong()).isEqualTo(7);
        assertThat(report.path("bare").path("errors").asLong()).isZero();
        assertThat(report.path("comparedToBare").path("all").path("medianLatency").asDouble()).isPositive();
        assertThat(report.path("notes").isEmpty()).as(report.path("notes").toString()).isTrue();
    }
}
