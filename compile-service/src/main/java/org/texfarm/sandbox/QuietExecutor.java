package org.texfarm.sandbox;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs housekeeping of the Docker engine (starting spare containers, removing used ones) while no
 * compile runs, or once a task has waited {@code maxDelay}: on a small host, a container start or
 * removal competes for the CPU with the TeX run that a user is waiting for.
 */
final class QuietExecutor implements Executor {
    private static final Duration TICK = Duration.ofMillis(25);

    private record Task(Runnable work, long enqueuedNanos) {
    }

    private final Executor target;
    private final BooleanSupplier busy;
    private final long maxDelayNanos;
    private final Queue<Task> queue = new ConcurrentLinkedQueue<>();

    QuietExecutor(Executor target, BooleanSupplier busy, Duration maxDelay, ScheduledExecutorService timer) {
        this.target = target;
        this.busy = busy;
        this.maxDelayNanos = maxDelay.toNanos();
        timer.scheduleWithFixedDelay(this::drain, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void execute(Runnable work) {
        queue.add(new Task(work, System.nanoTime()));
    }

    /** Hands every waiting task to the target now, quiet or not (at shutdown). */
    void flush() {
        for (Task next; (next = queue.poll()) != null; ) {
            target.execute(next.work());
        }
    }

    private void drain() {
        for (Task next; (next = queue.peek()) != null; ) {
            if (busy.getAsBoolean() && System.nanoTime() - next.enqueuedNanos() < maxDelayNanos) {
                return;
            }
            if (queue.remove(next)) {
                target.execute(next.work());
            }
        }
    }
}
