package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Overleaf's own CLSI acceptance suite (mocha, 135 tests; see {@link ClsiAcceptanceSuite}) against a service in
 * this JVM. The tests in {@value KnownFailure#SOURCE} may fail, each for the reason given there; every other
 * test must pass, and a listed test that passes must come off the list, so that the list, and the table in
 * docs/clsi-compatibility.md made from it, stay true.
 */
class ClsiAcceptanceIT {
    /** The suite has 135 tests at the pinned revision: far fewer results mean mocha stopped early. */
    private static final int FEWEST_TESTS = 120;
    private static final Path TARGET = Path.of("target");

    @Test
    void overleafsSuitePassesExceptForTheListedKnownFailures() throws Exception {
        ClsiAcceptanceSuite suite = ClsiAcceptanceSuite.locate();
        Path work = suite.prepared(TARGET.resolve("clsi-acceptance-setup.txt"));
        Path results = TARGET.resolve("clsi-acceptance-results.json");
        Path output = TARGET.resolve("clsi-acceptance-output.txt");
        Files.deleteIfExists(results);
        try (RunningService service = RunningService.start(Map.of(
                "COMPILE_GROUPS_FILE", suite.compileGroups().toString(),
                "SHELL_ESCAPE", "true",
                // The tests' fake filestore listens on the loopback interface.
                "URL_ALLOWED_HOSTS", "127.0.0.1,localhost",
                // CLSI's reference PDFs were made with TeX Live 2025: our nearest year compiles what names no image.
                "TEXLIVE_IMAGE", RunningService.TEXLIVE_2024_IMAGE,
                "ALLOWED_IMAGES", RunningService.IMAGE,
                // The tests name CLSI's TeX Live 2017 image; our oldest year stands for it.
                "IMAGE_ALIASES", "quay.io/sharelatex/texlive-full:2017.1=" + RunningService.IMAGE))) {
            suite.run(work, service.uri("").toString(), RunningService.TEXLIVE_2024_IMAGE, results, output);
        }

        assertThat(results).as("the suite's results; mocha's output is in " + output).isRegularFile();
        AcceptanceRun run = AcceptanceRun.read(results);
        assertThat(run.tests()).as("tests in " + results + "; mocha's output is in " + output).hasSizeGreaterThanOrEqualTo(FEWEST_TESTS);
        List<KnownFailure> known = KnownFailure.load();
        System.out.printf("CLSI acceptance suite: %d tests %s, %d listed as known failures%n",
                run.tests().size(), run.totals(), known.size());
        AcceptanceRun.Verdict verdict = run.compareWith(known);
        if (!verdict.listIsTrue()) {
            fail("Overleaf's CLSI acceptance suite does not match " + KnownFailure.SOURCE
                    + " (mocha's output is in " + output + "):\n" + verdict.report());
        }
    }
}
