package org.texfarm.sandbox;

import java.time.Duration;

/**
 * How a sandboxed command ended.
 *
 * @param exitCode the command's exit code (meaningless unless {@code ending} is {@link Ending#EXITED})
 * @param ending   why it ended
 * @param stdout   its standard output, capped
 * @param stderr   its standard error, capped
 * @param pdf      what became of {@code output.pdf} after the command
 * @param acquired how long it took to have a running sandbox holding the project
 * @param elapsed  from the command's start to its end
 */
public record SandboxResult(int exitCode, Ending ending, String stdout, String stderr, PdfLinearization pdf,
                            Duration acquired, Duration elapsed) {

    /** A job that never ran: stopped before its sandbox started it. */
    static SandboxResult stoppedBeforeStart() {
        return new SandboxResult(-1, Ending.STOPPED, "", "", PdfLinearization.NOT_RUN, Duration.ZERO, Duration.ZERO);
    }

    /** This result, ended otherwise. */
    public SandboxResult endedAs(Ending other) {
        return new SandboxResult(exitCode, other, stdout, stderr, pdf, acquired, elapsed);
    }

    /** Whether the command ran to its end and said it succeeded. */
    public boolean succeeded() {
        return ending == Ending.EXITED && exitCode == 0;
    }

    public enum Ending {
        /** The command ran to its end. */
        EXITED,
        /** The timeout passed and the container was killed. */
        TIMED_OUT,
        /** Someone asked to stop it. */
        STOPPED,
        /** It ran out of memory. */
        OUT_OF_MEMORY,
        /** The project directory grew past the disk cap. */
        DISK_FULL,
        /** The container was killed from outside the service. */
        KILLED
    }
}
