package org.texfarm.sandbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.config.SandboxLimits;

/**
 * Containers started ahead of time, per image and limits, so that no container start sits on a
 * compile's critical path. Each serves one compile and is then discarded; the pool refills in the
 * background, holds at most {@code size} idle containers of a kind, and shrinks to {@code minimum}
 * after {@code idleAfter} without a compile. When it is empty, a container is started on demand.
 * Spare containers start when the engine is quiet ({@code spare}); once a kind has none idle, its
 * starts cannot wait, since the next compile of that kind would start its own ({@code urgent}).
 */
final class SandboxPool {
    private static final Logger log = LoggerFactory.getLogger(SandboxPool.class);

    /**
     * What a pooled container was made for: only a compile asking for the same may take it.
     * Background containers have the smallest CPU weight from their creation; one is kept warm
     * per key once a background job has asked for it, so that a preamble dump starts at once.
     */
    record Key(String image, SandboxLimits limits, boolean background) {
    }

    private final Containers containers;
    private final Duration maxTimeout;
    private final int size;
    private final int minimum;
    private final Duration idleAfter;
    private final Executor spare;
    private final Executor urgent;
    private final Clock clock;
    private final Map<Key, Deque<WarmContainer>> idle = new ConcurrentHashMap<>();
    private final Map<Key, AtomicInteger> starting = new ConcurrentHashMap<>();
    private final Counter warmTakes;
    private final Counter coldStarts;
    private volatile Instant lastTake;
    private volatile boolean closed;

    SandboxPool(Containers containers, Duration maxTimeout, int size, int minimum, Duration idleAfter,
                Executor spare, Executor urgent, Clock clock, MeterRegistry registry) {
        this.containers = containers;
        this.maxTimeout = maxTimeout;
        this.size = size;
        this.minimum = Math.min(minimum, size);
        this.idleAfter = idleAfter;
        this.spare = spare;
        this.urgent = urgent;
        this.clock = clock;
        this.lastTake = clock.instant();
        this.warmTakes = Counter.builder("sandbox.pool.takes").tag("kind", "warm")
                .description("compiles that got a pre-started container").register(registry);
        this.coldStarts = Counter.builder("sandbox.pool.takes").tag("kind", "cold")
                .description("compiles that had to start a container").register(registry);
        Gauge.builder("sandbox.pool.idle", idle, map -> map.values().stream().mapToInt(Deque::size).sum())
                .description("pre-started containers waiting for a compile").register(registry);
    }

    /** A running container for {@code key}: a warm one if the pool has it, else one started now. */
    WarmContainer take(Key key) throws SandboxUnavailableException {
        lastTake = clock.instant();
        Deque<WarmContainer> queue = queue(key);
        try {
            for (WarmContainer container; (container = queue.pollFirst()) != null; ) {
                if (container.isAlive()) {
                    warmTakes.increment();
                    return container;
                }
                WarmContainer dead = container;
                spare.execute(() -> containers.discard(dead));
            }
            coldStarts.increment();
            return containers.start(key.image(), key.limits(), key.background(), maxTimeout);
        } finally {
            refill(key, key.background() ? Math.min(1, size) : size);
        }
    }

    /** Starts containers in the background until {@code key} has {@code target} idle or starting. */
    void refill(Key key, int target) {
        Deque<WarmContainer> queue = queue(key);
        AtomicInteger pending = starting.computeIfAbsent(key, k -> new AtomicInteger());
        synchronized (pending) {
            while (!closed && queue.size() + pending.get() < target) {
                pending.incrementAndGet();
                // No compile waits for a background sandbox: it is started in a quiet moment.
                (queue.isEmpty() && !key.background() ? urgent : spare).execute(() -> startInto(key, queue, pending));
            }
        }
    }

    private void startInto(Key key, Deque<WarmContainer> queue, AtomicInteger pending) {
        try {
            if (closed) {
                return;
            }
            WarmContainer started = containers.start(key.image(), key.limits(), key.background(), maxTimeout);
            synchronized (this) {
                if (!closed) {
                    queue.addLast(started);
                    return;
                }
            }
            containers.discard(started);
        } catch (SandboxUnavailableException | RuntimeException e) {
            log.warn("cannot pre-start a sandbox for {}: {}", key.image(), e.getMessage());
        } finally {
            pending.decrementAndGet();
        }
    }

    /** After {@code idleAfter} without a compile, discards idle containers beyond the minimum. */
    void shrinkIfIdle() {
        if (Duration.between(lastTake, clock.instant()).compareTo(idleAfter) < 0) {
            return;
        }
        for (Deque<WarmContainer> queue : idle.values()) {
            while (queue.size() > minimum) {
                WarmContainer extra = queue.pollLast();
                if (extra != null) {
                    containers.discard(extra);
                }
            }
        }
    }

    /** Discards every idle container; the pool starts no more. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        idle.values().forEach(queue -> {
            for (WarmContainer container; (container = queue.pollFirst()) != null; ) {
                containers.discard(container);
            }
        });
    }

    private Deque<WarmContainer> queue(Key key) {
        return idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
    }
}
