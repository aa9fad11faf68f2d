package org.texfarm.compile;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code slots} compiles run at once and at most {@code queueCapacity} wait for a slot;
 * a compile past both is refused at once with {@link ServiceBusyException}.
 */
final class CompileAdmission {
    private final Semaphore running;
    private final int capacity;
    private final AtomicInteger admitted = new AtomicInteger();

    CompileAdmission(int slots, int queueCapacity, MeterRegistry registry) {
        this.running = new Semaphore(slots, true);
        this.capacity = slots + queueCapacity;
        Gauge.builder("compiles.running", () -> slots - running.availablePermits())
                .description("compiles holding a compile slot").register(registry);
        Gauge.builder("compiles.queued", () -> Math.max(0, admitted.get() - (slots - running.availablePermits())))
                .description("compiles waiting for a compile slot").register(registry);
    }

    /** A place in the queue; {@link Ticket#awaitSlot()} then waits for a compile slot. */
    final class Ticket implements AutoCloseable {
        private boolean holdsSlot;
        private boolean closed;

        void awaitSlot() throws InterruptedException {
            running.acquire();
            holdsSlot = true;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (holdsSlot) {
                running.release();
            }
            admitted.decrementAndGet();
        }
    }

    /** Compiles running or waiting, as a share of all the places there are (0 to 1). */
    double load() {
        return Math.min(1.0, (double) admitted.get() / capacity);
    }

    Ticket enter() {
        if (admitted.incrementAndGet() > capacity) {
            admitted.decrementAndGet();
            throw new ServiceBusyException("all compile slots are busy and the queue is full", Duration.ofSeconds(5));
        }
        return new Ticket();
    }
}
