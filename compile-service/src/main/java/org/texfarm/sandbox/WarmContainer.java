package org.texfarm.sandbox;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A started sandbox container whose launcher waits for a job. Its slot directory (mounted at
 * /slot) holds the {@code go} and {@code done} FIFOs of its {@link LauncherChannel} until the
 * launcher is ready, and the {@code console} and {@code errors} files of a job's stdout and
 * stderr; the project directory is renamed to {@code work} for a job. {@code exit} completes with
 * the container's exit code.
 */
final class WarmContainer {
    static final String WORK = "work";
    static final String GO = "go";
    static final String DONE = "done";
    static final String CONSOLE = "console";
    static final String ERRORS = "errors";

    private final String id;
    private final Path slot;
    private final CompletableFuture<Integer> exit;
    private final LauncherChannel launcher;
    private final AtomicReference<ContainerCgroups.Cgroup> processCounter;
    private int jobs;

    /**
     * @param processCounter holds its cgroup once the launcher is ready, if that cgroup counts exactly
     *                       its processes (runc's do; gVisor's count gVisor's own threads)
     */
    WarmContainer(String id, Path slot, CompletableFuture<Integer> exit, LauncherChannel launcher,
                  AtomicReference<ContainerCgroups.Cgroup> processCounter) {
        this.id = id;
        this.slot = slot;
        this.exit = exit;
        this.launcher = launcher;
        this.processCounter = processCounter;
    }

    String id() {
        return id;
    }

    Path slot() {
        return slot;
    }

    CompletableFuture<Integer> exit() {
        return exit;
    }

    LauncherChannel launcher() {
        return launcher;
    }

    Path work() {
        return slot.resolve(WORK);
    }

    Path console() {
        return slot.resolve(CONSOLE);
    }

    Path errors() {
        return slot.resolve(ERRORS);
    }

    boolean isAlive() {
        return !exit.isDone();
    }

    Optional<ContainerCgroups.Cgroup> processCounter() {
        return Optional.ofNullable(processCounter.get());
    }

    /** Counts a job it ran; returns how many it has run, this one included. */
    int countJob() {
        return ++jobs;
    }
}
