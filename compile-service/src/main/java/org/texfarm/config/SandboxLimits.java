package org.texfarm.config;

/**
 * The limits every sandbox container runs under.
 *
 * @param memoryBytes    memory limit, swap included (memory-swap is set to the same value)
 * @param nanoCpus       CPU quota in billionths of a CPU
 * @param pids           most processes and threads at once
 * @param fileSizeBytes  largest file a compile may write (RLIMIT_FSIZE)
 * @param openFiles      most open files (RLIMIT_NOFILE)
 * @param diskBytes      most bytes the project directory may hold while a compile runs
 * @param diskFiles      most files the project directory may hold while a compile runs
 * @param tmpBytes       size of the container's private /tmp
 * @param logBytes       most bytes of stdout and stderr kept
 * @param shellEscape    which commands \write18 may run (inside the sandbox)
 * @param runtime        the engine's OCI runtime for the container ({@code runc}, or {@code runsc} for gVisor)
 * @param uid            user id the compile runs as
 * @param gid            group id the compile runs as
 */
public record SandboxLimits(
        long memoryBytes,
        long nanoCpus,
        long pids,
        long fileSizeBytes,
        long openFiles,
        long diskBytes,
        long diskFiles,
        long tmpBytes,
        long logBytes,
        ShellEscape shellEscape,
        String runtime,
        int uid,
        int gid) {

    /** The engine's own runtime, which every Docker installation has. */
    public static final String DEFAULT_RUNTIME = "runc";
}
