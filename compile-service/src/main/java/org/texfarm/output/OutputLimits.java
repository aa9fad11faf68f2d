package org.texfarm.output;

import org.texfarm.config.SandboxLimits;

/**
 * What a build takes from a compile directory.
 *
 * @param diskBytes most bytes the directory may hold; past it only the log is kept
 * @param diskFiles most files the directory may hold; past it only the log is kept
 * @param fileBytes the sandbox's file size limit: an output this large was cut short by it
 * @param logBytes  TeX logs are cut after this many bytes
 */
public record OutputLimits(long diskBytes, long diskFiles, long fileBytes, long logBytes) {

    /** The caps of a compile that ran under {@code limits}. */
    public static OutputLimits of(SandboxLimits limits) {
        return new OutputLimits(limits.diskBytes(), limits.diskFiles(), limits.fileSizeBytes(), limits.logBytes());
    }
}
