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
 * @param background whether the job yields the CPU to every other (it is not waited for)
 * @param linearizePdf whether {@code output.pdf}, when the command leaves one, is linearized for fast
 *                     web view in the same sandbox afterwards, within the timeout
 */
public record SandboxJob(String name, String image, Path workDir, List<String> command, Duration timeout,
                         SandboxLimits limits, Consumer<Path> moved, boolean background, boolean linearizePdf) {
    public SandboxJob {
        command = List.copyOf(command);
    }
}
