package org.texfarm.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.texfarm.config.ServiceConfig;
import org.texfarm.output.OutputFile;
import org.texfarm.sandbox.PdfLinearization;
import org.texfarm.sandbox.SandboxResult;
import org.texfarm.sandbox.SandboxResult.Ending;

class CompileStatusMappingTest {
    private static final List<OutputFile> WITH_PDF = List.of(new OutputFile("output.pdf", "pdf", "b", 1000));
    private static final List<OutputFile> EMPTY_PDF = List.of(new OutputFile("output.pdf", "pdf", "b", 0));
    private static final List<OutputFile> NO_PDF = List.of(new OutputFile("output.log", "log", "b", 100));

    private static CompileOptions options(boolean stopOnFirstError, CheckMode check) {
        return new CompileOptions(ServiceConfig.fromEnvironment(Map.of("DATA_DIR", "/tmp/unused")).groups().defaultGroup(),
                Engine.PDFLATEX, Duration.ofSeconds(60), stopOnFirstError, false, List.of(), "image", null, false, check,
                CompileOptions.PdfCaching.OFF);
    }

    private static SandboxResult run(Ending ending, int exitCode) {
        return new SandboxResult(exitCode, ending, "", "", PdfLinearization.NOT_RUN, Duration.ZERO, Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @CsvSource({"TIMED_OUT, TIMEDOUT", "STOPPED, TERMINATED", "OUT_OF_MEMORY, TERMINATED", "DISK_FULL, TERMINATED",
            "KILLED, TERMINATED"})
    void forcedEndingsMapToTheirStatusWhateverTheOutputs(Ending ending, CompileStatus status) {
        assertThat(CompileService.statusOf(run(ending, 137), WITH_PDF, options(false, CheckMode.NONE))).isEqualTo(status);
    }

    @Test
    void successMeansANonEmptyPdfEvenWhenTexReportedErrors() {
        assertThat(CompileService.statusOf(run(Ending.EXITED, 0), WITH_PDF, options(false, CheckMode.NONE))).isEqualTo(CompileStatus.SUCCESS);
        assertThat(CompileService.statusOf(run(Ending.EXITED, 12), WITH_PDF, options(false, CheckMode.NONE))).isEqualTo(CompileStatus.SUCCESS);
        assertThat(CompileService.statusOf(run(Ending.EXITED, 0), EMPTY_PDF, options(false, CheckMode.NONE))).isEqualTo(CompileStatus.FAILURE);
        assertThat(CompileService.statusOf(run(Ending.EXITED, 12), NO_PDF, options(false, CheckMode.NONE))).isEqualTo(CompileStatus.FAILURE);
    }

    @Test
    void anErrorWithStopOnFirstErrorIsReportedAsSuch() {
        assertThat(CompileService.statusOf(run(Ending.EXITED, 12), WITH_PDF, options(true, CheckMode.NONE))).isEqualTo(CompileStatus.STOPPED_ON_FIRST_ERROR);
        assertThat(CompileService.statusOf(run(Ending.EXITED, 0), WITH_PDF, options(true, CheckMode.NONE))).isEqualTo(CompileStatus.SUCCESS);
    }

    @Test
    void aValidationPassesOrFailsByChktexAlone() {
        assertThat(CompileService.statusOf(run(Ending.EXITED, 0), NO_PDF, options(false, CheckMode.VALIDATE)))
                .isEqualTo(CompileStatus.VALIDATION_PASS);
        assertThat(CompileService.statusOf(run(Ending.EXITED, LatexmkCommand.CHKTEX_FOUND_ERRORS), NO_PDF,
                options(false, CheckMode.VALIDATE))).isEqualTo(CompileStatus.VALIDATION_FAIL);
        assertThat(CompileService.statusOf(run(Ending.EXITED, LatexmkCommand.CHKTEX_FOUND_ERRORS), NO_PDF,
                options(false, CheckMode.ERROR))).isEqualTo(CompileStatus.FAILURE);
    }

    @Test
    void eachStatusHasItsWireNameAndHttpCode() {
        assertThat(CompileStatus.COMPILE_IN_PROGRESS.wireName()).isEqualTo("compile-in-progress");
        assertThat(CompileStatus.COMPILE_IN_PROGRESS.httpStatus()).isEqualTo(423);
        assertThat(CompileStatus.STOPPED_ON_FIRST_ERROR.wireName()).isEqualTo("stopped-on-first-error");
        assertThat(CompileStatus.CONFLICT.httpStatus()).isEqualTo(409);
        assertThat(CompileStatus.UNAVAILABLE.httpStatus()).isEqualTo(503);
        assertThat(CompileStatus.TIMEDOUT.httpStatus()).isEqualTo(200);
    }
}
