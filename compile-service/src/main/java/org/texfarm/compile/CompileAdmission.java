package org.texfarm.compile;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.texfarm.config.CompileGroup;

/**
 * At most {@code slots} compiles run at once and at most {@code queueCapacity} wait for a slot;
 * within that, each compile group runs at most its {@code maxConcurrent} and queues at most its
 * {@code queueSize}. A compile past any of these is refused at once with {@link ServiceBusyException}.
 */
final class CompileAdmission {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final Semaphore slots;
    private final int capacity;
    private final AtomicInteger admitted = new AtomicInteger();
    private final Map<String, GroupQueue> groups;

    /** One group's slots and the compiles of it admitted and running. */
    private static final class GroupQueue {
        final String name;
        final Semaphore slots;
        final int capacity;
        final AtomicInteger admitted = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();

        GroupQueue(CompileGroup group) {
            this.name = group.name();
            this.slots = new Semaphore(group.maxConcurrent(), true);
            this.capacity = group.maxConcurrent() + group.queueSize();
        }
    }

    CompileAdmission(int slots, int queueCapacity, Collection<CompileGroup> groups, MeterRegistry registry) {
        this.slots = new Semaphore(slots, true);
        this.capacity = slots + queueCapacity;
        this.groups = groups.stream().collect(Collectors.toUnmodifiableMap(CompileGroup::name, GroupQueue::new));
        for (GroupQueue queue : this.groups.values()) {
            Gauge.builder("compiles.running", queue.running::get).tag("group", queue.name)
                    .description("compiles holding a compile slot").register(registry);
            Gauge.builder("compiles.queued", () -> queue.admitted.get() - queue.running.get()).tag("group", queue.name)
                    .description("compiles waiting for a compile slot").register(registry);
        }
    }

    /** A place in the queue; {@link Ticket#awaitSlot()} then waits for a compile slot. */
    final class Ticket implements AutoCloseable {
        private final GroupQueue group;
        private boolean holdsGroupSlot;
        private boolean holdsSlot;
        private boolean closed;

        private Ticket(GroupQueue group) {
            this.group = group;
        }

        /** Waits for a slot of the group, then for one of the server. */
        void awaitSlot() throws InterruptedException {
            group.slots.acquire();
            holdsGroupSlot = true;
            slots.acquire();
            holdsSlot = true;
            group.running.incrementAndGet();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (holdsSlot) {
                group.running.decrementAndGet();
                slots.release();
            }
            if (holdsGroupSlot) {
                group.slots.release();
            }
            group.admitted.decrementAndGet();
            admitted.decrementAndGet();
        }
    }

    /** Compiles running or waiting, as a share of all the places there are (0 to 1). */
    double load() {
        return Math.min(1.0, (double) admitted.get() / capacity);
    }

    Ticket enter(CompileGroup group) {
        GroupQueue queue = groups.get(group.name());
        if (queue == null) {
            throw new IllegalArgumentException("no compile group " + group.name());
        }
        if (!reserve(admitted, capacity)) {
            throw new ServiceBusyException("all compile slots are busy and the queue is full", RETRY_AFTER);
        }
        if (!reserve(queue.admitted, queue.capacity)) {
            admitted.decrementAndGet();
            throw new ServiceBusyException("all compile slots of group '" + group.name()
                    + "' are busy and its queue is full", RETRY_AFTER);
        }
        return new Ticket(queue);
    }

    private static boolean reserve(AtomicInteger count, int capacity) {
        if (count.incrementAndGet() > capacity) {
            count.decrementAndGet();
            return false;
        }
        return true;
    }
}
