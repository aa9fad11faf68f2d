package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.project;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Precompiled preambles on the real engine: dumped after a compile, loaded by the next, refused when they fail. */
class PreambleFormatsIT {
    private static final Duration DUMP_WAIT = Duration.ofSeconds(60);

    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("SANDBOX_POOL_SIZE", "2"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static Projects article(String preamble, String body) {
        return project().file("main.tex", "\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage{hyperref}\n"
                + preamble + "\\begin{document}\n" + body + "\n\\end{document}\n");
    }

    private static RunningService.Response compile(String project, Projects request) {
        RunningService.Response response = service.compile(project, request.json());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        return response;
    }

    /** How the compile used the precompiled preamble: {@code none}, {@code used} or {@code fell-back}. */
    private static String preamble(RunningService.Response response) {
        return response.compile().getJsonObject("texfarm").getString("precompiledPreamble");
    }

    private static double formats(String outcome) {
        return formats(service, outcome);
    }

    private static double formats(RunningService on, String outcome) {
        return on.metric("preamble_formats_total{outcome=\"" + outcome + "\"");
    }

    /** Waits until the service counts more preamble formats with this outcome than {@code before}. */
    private static void awaitFormats(String outcome, double before) throws InterruptedException {
        awaitFormats(service, outcome, before);
    }

    private static void awaitFormats(RunningService on, String outcome, double before) throws InterruptedException {
        long deadline = System.nanoTime() + DUMP_WAIT.toNanos();
        while (formats(on, outcome) <= before) {
            assertThat(System.nanoTime()).as("no preamble format " + outcome + " within " + DUMP_WAIT).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void dumpsAPreambleOnlyOnceItsProjectHasCompiledItAsOftenAsSet() throws Exception {
        try (RunningService twice = RunningService.start(Map.of("PRECOMPILE_PREAMBLES_AFTER", "2"))) {
            RunningService.Response once = twice.compile("repeated", article("", "Once.").json());
            assertThat(once.compileStatus()).as(once.text()).isEqualTo("success");
            // Time enough for a dump (about 2 s here), had the first compile asked for one.
            Thread.sleep(10_000);
            assertThat(formats(twice, "built")).isZero();

            RunningService.Response again = twice.compile("repeated", article("", "Again.").json());
            assertThat(preamble(again)).isEqualTo("none");
            awaitFormats(twice, "built", 0);
            RunningService.Response third = twice.compile("repeated", article("", "Third.").json());
            assertThat(preamble(third)).isEqualTo("used");
            assertThat(twice.pdfText(third.json())).contains("Third.");
        }
    }

    @Test
    void loadsTheDumpedPreambleWhileItAndTheFilesItReadAreUnchanged() throws Exception {
        String preamble = "\\usepackage{macros}\n";
        String macros = "\\newcommand{\\greeting}{Hello from macros}\n";
        String changedMacros = "\\newcommand{\\greeting}{Changed macros}\n";
        double built = formats("built");

        RunningService.Response first = compile("preamble-use", article(preamble, "First text. \\greeting").file("macros.sty", macros));
        assertThat(preamble(first)).isEqualTo("none");
        awaitFormats("built", built);

        RunningService.Response edited = compile("preamble-use", article(preamble, "Edited text. \\greeting").file("macros.sty", macros));
        assertThat(preamble(edited)).isEqualTo("used");
        assertThat(service.pdfText(edited.json())).contains("Edited text.", "Hello from macros");
        assertThat(edited.compile().getJsonArray("outputFiles").stream().map(file -> ((JsonObject) file).getString("path")))
                .contains("output.pdf").doesNotContain("texfarm-preamble.fmt");

        RunningService.Response inputChanged = compile("preamble-use",
                article(preamble, "Edited text. \\greeting").file("macros.sty", changedMacros));
        assertThat(preamble(inputChanged)).isEqualTo("none");
        assertThat(service.pdfText(inputChanged.json())).contains("Changed macros");
        awaitFormats("built", built + 1);

        RunningService.Response again = compile("preamble-use", article(preamble, "Edited again. \\greeting").file("macros.sty", changedMacros));
        assertThat(preamble(again)).isEqualTo("used");
        assertThat(service.pdfText(again.json())).contains("Edited again.", "Changed macros");

        RunningService.Response preambleChanged = compile("preamble-use",
                article(preamble + "\\usepackage{amssymb}\n", "New preamble. \\greeting").file("macros.sty", changedMacros));
        assertThat(preamble(preambleChanged)).isEqualTo("none");
        assertThat(service.pdfText(preambleChanged.json())).contains("New preamble.", "Changed macros");
        // The new preamble's dump, so that no other test counts it.
        awaitFormats("built", built + 2);
    }

    @Test
    void neverLoadsAnotherProjectsFormatForTheSamePreamble() throws Exception {
        Projects document = article("\\usepackage{amssymb}\n", "Shared preamble.");
        double built = formats("built");
        compile("preamble-owner", document);
        awaitFormats("built", built);

        RunningService.Response other = compile("preamble-other", document);

        assertThat(preamble(other)).isEqualTo("none");
        assertThat(service.pdfText(other.json())).contains("Shared preamble.");
        // The other project's own dump, so that no other test counts it.
        awaitFormats("built", built + 1);
    }

    /** A document whose format fails: a read stream opened in the preamble is not in it, so \read finds no file. */
    private static Projects readingAFile(String body) {
        return article("\\newread\\data\n\\immediate\\openin\\data=data.txt\n", body + " \\read\\data to\\line\\line")
                .file("data.txt", "from the data file\n");
    }

    @Test
    void compilesWithoutTheFormatWhenItFailsACompileAndNeverUsesItAgain() throws Exception {
        double built = formats("built");
        double fallbacks = formats("fallback");

        compile("preamble-fallback", readingAFile("Read:"));
        awaitFormats("built", built);
        RunningService.Response withFormat = compile("preamble-fallback", readingAFile("Read again:"));
        double used = formats("used");
        RunningService.Response afterwards = compile("preamble-fallback", readingAFile("Read once more:"));

        assertThat(preamble(withFormat)).isEqualTo("fell-back");
        assertThat(service.pdfText(withFormat.json())).contains("Read again: from the data file");
        assertThat(formats("fallback")).isEqualTo(fallbacks + 1);
        assertThat(preamble(afterwards)).isEqualTo("none");
        assertThat(formats("used")).isEqualTo(used);
        assertThat(service.pdfText(afterwards.json())).contains("Read once more: from the data file");
    }

    @Test
    void compilesAsUsualWhenThePreambleCannotBeDumped() throws Exception {
        // The dump defers \openout to the compile, so the file the preamble writes and then reads is missing.
        String preamble = "\\immediate\\openout15=generated.tex\n"
                + "\\immediate\\write15{\\string\\newcommand\\string\\generated{written by the preamble}}\n"
                + "\\immediate\\closeout15\n\\input{generated.tex}\n";
        double failed = formats("dump_failed");

        RunningService.Response first = compile("preamble-undumpable", article(preamble, "First: \\generated"));
        awaitFormats("dump_failed", failed);
        RunningService.Response second = compile("preamble-undumpable", article(preamble, "Second: \\generated"));

        assertThat(service.pdfText(first.json())).contains("First: written by the preamble");
        assertThat(preamble(second)).isEqualTo("none");
        assertThat(service.pdfText(second.json())).contains("Second: written by the preamble");
    }
}
