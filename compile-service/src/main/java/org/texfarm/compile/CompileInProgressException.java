package org.texfarm.compile;

import org.texfarm.ProjectKey;

/** Another compile of the same project holds its directory (HTTP 423). */
public final class CompileInProgressException extends RuntimeException {
    public CompileInProgressException(ProjectKey project) {
        super("a compile of project " + project + " is already running");
    }
}
