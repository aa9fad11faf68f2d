package org.texfarm.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Sandboxes kept for their project's next compile.
 *
 * @param count       most sandboxes kept at once; {@code 0} runs every compile in a fresh one
 * @param idle        how long a sandbox is kept without a compile of its project
 * @param memoryBytes most memory the kept sandboxes may hold together (processes and /tmp)
 * @param cgroupRoot  where the host's cgroup file systems are, as the service sees them: a
 *                    sandbox is kept only when its processes can be counted there
 */
public record KeptSandboxSettings(int count, Duration idle, long memoryBytes, Path cgroupRoot) {
}
