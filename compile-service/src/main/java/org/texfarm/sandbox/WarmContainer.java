package org.texfarm.sandbox;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A started sandbox container whose launcher waits for one compile. Its slot directory (mounted at
 * /slot) holds the {@code go} FIFO that starts the command, the {@code done} FIFO on which the
 * launcher reports its end, the {@code console} and {@code errors} files of its stdout and stderr; the project directory is
 * renamed to {@code work} for the compile. {@code exit} completes with the container's exit code.
 */
record WarmContainer(String id, Path slot, CompletableFuture<Integer> exit) {
    static final String WORK = "work";
    static final String TRIGGER = "go";
    static final String DONE = "done";
    static final String CONSOLE = "console";
    static final String ERRORS = "errors";

    Path work() {
        return slot.resolve(WORK);
    }

    Path trigger() {
        return slot.resolve(TRIGGER);
    }

    Path done() {
        return slot.resolve(DONE);
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
}
