package org.texfarm.sandbox;

import java.util.ArrayList;
import java.util.List;

/** Lets a request stop a running compile; an action added after {@link #stop()} runs at once. */
public final class StopSignal {
    private final List<Runnable> actions = new ArrayList<>();
    private boolean stopped;

    public void stop() {
        List<Runnable> toRun;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized boolean isStopped() {
        return stopped;
    }

    /** Runs {@code action} on stop; returns false (having run it) when already stopped. */
    public boolean onStop(Runnable action) {
        synchronized (this) {
            if (!stopped) {
                actions.add(action);
                return true;
            }
        }
        action.run();
        return false;
    }
}
