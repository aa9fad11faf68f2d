package org.texfarm.compile;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.texfarm.ProjectKey;
import org.texfarm.sandbox.StopSignal;
import org.texfarm.sync.Sha256;

/**
 * One holder at a time per project directory, each with a signal to stop its compile. A request
 * with the same fingerprint as the running compile joins it and gets its result.
 */
final class ProjectLocks {
    private final ConcurrentMap<ProjectKey, Holder> holders = new ConcurrentHashMap<>();

    /** What {@link #enter} gives: the lock itself, or the result of the identical compile running. */
    sealed interface Entry permits Holder, Joined {
    }

    /** The running compile's result, for a request identical to it. */
    record Joined(CompletableFuture<CompileResult> result) implements Entry {
    }

    /** A held lock; closing it releases the project and completes {@link #released()}. */
    final class Holder implements Entry, AutoCloseable {
        private final ProjectKey project;
        private final Sha256 fingerprint;
        private final StopSignal stop = new StopSignal();
        private final CompletableFuture<CompileResult> result = new CompletableFuture<>();
        private final CompletableFuture<Void> released = new CompletableFuture<>();
        /** Where the project directory is now: a sandbox's slot while TeX runs. */
        private volatile Path directory;

        private Holder(ProjectKey project, Sha256 fingerprint) {
            this.project = project;
            this.fingerprint = fingerprint;
        }

        StopSignal stop() {
            return stop;
        }

        /** Completed with the compile's result (or failure), for the requests that joined it. */
        CompletableFuture<CompileResult> result() {
            return result;
        }

        CompletableFuture<Void> released() {
            return released;
        }

        Path directory() {
            return directory;
        }

        void directory(Path now) {
            directory = now;
        }

        @Override
        public void close() {
            holders.remove(project, this);
            if (!result.isDone()) {
                result.completeExceptionally(new IllegalStateException("the compile ended without a result"));
            }
            released.complete(null);
        }
    }

    /**
     * Takes the project's lock; or, when a compile with the same (non-null) fingerprint holds it,
     * joins that compile; else throws {@link CompileInProgressException}.
     */
    Entry enter(ProjectKey project, Sha256 fingerprint) {
        Holder holder = new Holder(project, fingerprint);
        while (true) {
            Holder current = holders.putIfAbsent(project, holder);
            if (current == null) {
                return holder;
            }
            if (current.result.isDone()) {
                // Its compile is over and it is letting go: wait for that, then take the lock.
                current.released.join();
                continue;
            }
            if (fingerprint != null && fingerprint.equals(current.fingerprint)) {
                return new Joined(current.result);
            }
            throw new CompileInProgressException(project);
        }
    }

    /** Takes the project's lock for work that no request can join (clearing, expiry). */
    Holder acquire(ProjectKey project) {
        return (Holder) enter(project, null);
    }

    Collection<Holder> all() {
        return holders.values();
    }

    Optional<Holder> current(ProjectKey project) {
        return Optional.ofNullable(holders.get(project));
    }
}
