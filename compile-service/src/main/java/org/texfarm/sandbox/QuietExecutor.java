package org.texfarm.sandbox;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Runs housekeeping of the Docker engine (starting spare containers, removing used ones) one task
 * at a time, while no compile runs, or once the next task has waited {@code maxDelay}: on a small
 * host, a container start or removal competes for the CPU with the TeX run that a user is waiting
 * for, and several at once compete with each other.
 */
final class QuietExecutor implements Executor {
    private static final Duration TICK = Duration.ofMillis(25);

    private record Task(Runnable work, long enqueuedNanos) {
    }

    private final Executor target;
    private final BooleanSupplier busy;
    private final long maxDelayNanos;
    private final LongSupplier nanoTime;
    private final Queue<Task> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean oneRunning = new AtomicBoolean();

    /** Checks every {@link #TICK} on {@code timer} whether the next task may run. */
    QuietExecutor(Executor target, BooleanSupplier busy, Duration maxDelay, ScheduledExecutorService timer) {
        this(target, busy, maxDelay, System::nanoTime);
        timer.scheduleWithFixedDelay(this::drain, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the next task when {@link #drain()} is called and allows it, on {@code nanoTime}'s time. */
    QuietExecutor(Executor target, BooleanSupplier busy, Duration maxDelay, LongSupplier nanoTime) {
        this.target = target;
        this.busy = busy;
        this.maxDelayNanos = maxDelay.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public void execute(Runnable work) {
        queue.add(new Task(work, nanoTime.getAsLong()));
    }

    /** Hands every waiting task to the target now, quiet or not, all at once (at shutdown). */
    void flush() {
        for (Task next; (next = queue.poll()) != null; ) {
            target.execute(next.work());
        }
    }

    /** Starts the next task if none runs and no compile does, or if it has waited long enough. */
    void drain() {
        Task next = queue.peek();
        if (next == null || (busy.getAsBoolean() && nanoTime.getAsLong() - next.enqueuedNanos() < maxDelayNanos)
                || !oneRunning.compareAndSet(false, true)) {
            return;
        }
        if (!queue.remove(next)) {
            oneRunning.set(false);
            return;
        }
        try {
            target.execute(() -> {
                try {
                    next.work().run();
                } finally {
                    oneRunning.set(false);
                }
            });
        } catch (RuntimeException e) {
            oneRunning.set(false);
            throw e;
        }
    }
}
