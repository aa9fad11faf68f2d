package org.texfarm.compile;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.texfarm.ProjectKey;
import org.texfarm.sandbox.StopSignal;

/** One holder at a time per project directory, each with a signal to stop its compile. */
final class ProjectLocks {
    private final ConcurrentMap<ProjectKey, Holder> holders = new ConcurrentHashMap<>();

    /** A held lock; closing it releases the project and completes {@link #released()}. */
    final class Holder implements AutoCloseable {
        private final ProjectKey project;
        private final StopSignal stop = new StopSignal();
        private final CompletableFuture<Void> released = new CompletableFuture<>();

        private Holder(ProjectKey project) {
            this.project = project;
        }

        StopSignal stop() {
            return stop;
        }

        CompletableFuture<Void> released() {
            return released;
        }

        @Override
        public void close() {
            holders.remove(project, this);
            released.complete(null);
        }
    }

    /** Takes the project's lock, or throws {@link CompileInProgressException} when it is held. */
    Holder acquire(ProjectKey project) {
        Holder holder = new Holder(project);
        if (holders.putIfAbsent(project, holder) != null) {
            throw new CompileInProgressException(project);
        }
        return holder;
    }

    Optional<Holder> current(ProjectKey project) {
        return Optional.ofNullable(holders.get(project));
    }
}
