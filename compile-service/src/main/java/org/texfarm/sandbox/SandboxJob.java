package org.texfarm.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.texfarm.config.SandboxLimits;

/**
 * One command to run in a fresh sandbox.
 *
 * @param name       a readable name for the container (the project), made safe by the sandbox
 * @param image      the TeX Live image
 * @param workDir    the project directory as the service sees it; mounted at /compile
 * @param command    the command, run in /compile
 * @param timeout    wall-clock limit; the container is killed when it passes
 * @param limits     resource limits
 * @param moved      told where the project directory is whenever the sandbox moves it (into its slot, and back)
 * @param kind       which sandbox serves it, and whether that sandbox serves its directory again
 * @param pdf        what the sandbox does to {@code output.pdf}, when the command leaves one, within the timeout
 */
public record SandboxJob(String name, String image, Path workDir, List<String> command, Duration timeout,
                         SandboxLimits limits, Consumer<Path> moved, Kind kind, PdfSteps pdf) {
    /** Where the launcher writes, when asked, qpdf's xref of the final {@code output.pdf}: a dot file, so never an output. */
    public static final String PDF_XREF = ".output.pdfxref";

    public SandboxJob {
        command = List.copyOf(command);
    }

    /** Which sandbox runs a job. */
    public enum Kind {
        /** A project's job: its sandbox may be kept for the same directory's next job. */
        PROJECT,
        /** A job a client waits for in a directory used once (a conversion): its sandbox is never kept. */
        ONE_OFF,
        /** Work no client waits for: a sandbox at the lowest CPU weight, never kept. */
        BACKGROUND
    }

    /** What becomes of the command's {@code output.pdf}; each step includes the ones before it. */
    public enum PdfSteps {
        /** Nothing. */
        NONE(0),
        /** Linearized for fast web view, as CLSI's output optimiser does. */
        LINEARIZE(1),
        /** Linearized, then its xref written to {@link #PDF_XREF} by {@code qpdf --show-xref}, for PDF caching. */
        LINEARIZE_AND_XREF(2);

        /** How the launcher's job line says it. */
        final int level;

        PdfSteps(int level) {
            this.level = level;
        }
    }
}
