package org.texfarm.sandbox;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A started sandbox container whose launcher waits for one compile: its slot directory (mounted at
 * /slot) holds the trigger FIFO, and the project directory is renamed to {@code work} for the
 * compile. {@code exit} completes with the container's exit code.
 */
record WarmContainer(String id, Path slot, CompletableFuture<Integer> exit) {
    static final String WORK = "work";
    static final String TRIGGER = "go";

    Path work() {
        return slot.resolve(WORK);
    }

    Path trigger() {
        return slot.resolve(TRIGGER);
    }

    boolean isAlive() {
        return !exit.isDone();
    }
}
