package org.texfarm.loadtest.target;

import org.texfarm.loadtest.workload.CompileKind;
import org.texfarm.loadtest.workload.Project;

/** What compiles a project: the compile service over HTTP, or bare latexmk for comparison. */
public interface CompileTarget extends AutoCloseable {

    /** "service" or "bare", for reports. */
    String name();

    /**
     * Compiles the project as it is now; {@code kind} says what changed since its last compile
     * (everything, its edited file, or nothing). Blocks until the compile ends.
     */
    Outcome compile(Project project, CompileKind kind) throws InterruptedException;

    /** Removes what the load test left behind (projects on the service, directories). */
    @Override
    void close();
}
