package org.texfarm.sandbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.texfarm.config.KeptSandboxSettings;
import org.texfarm.config.SandboxLimits;

/**
 * Sandboxes kept, after a job, for the next job of the same compile directory (project and user),
 * image and limits, which then starts with a write instead of a container's create, start and
 * removal. A kept sandbox never serves another key. At most {@code count} are kept, holding at most
 * {@code memoryBytes} together (their processes and /tmp, measured after the reset); the least
 * recently used go first, and any idle for {@code idle} goes.
 */
final class KeptSandboxes {
    /** Whose next job a kept sandbox may run. */
    record Key(Path directory, String image, SandboxLimits limits) {
    }

    private record Kept(WarmContainer container, long memoryBytes, Instant since) {
    }

    private final KeptSandboxSettings settings;
    private final Clock clock;
    private final Consumer<WarmContainer> discard;
    /** In order of use, the least recent first. */
    private final LinkedHashMap<Key, Kept> kept = new LinkedHashMap<>();
    private long memoryBytes;
    private final Counter reuses;
    private final Map<String, Counter> evictions = new LinkedHashMap<>();

    /** @param discard removes a sandbox that is no longer kept (in the background) */
    KeptSandboxes(KeptSandboxSettings settings, Clock clock, Consumer<WarmContainer> discard, MeterRegistry registry) {
        this.settings = settings;
        this.clock = clock;
        this.discard = discard;
        this.reuses = Counter.builder("sandbox.kept.reuses")
                .description("jobs that ran in the sandbox their project kept").register(registry);
        for (String reason : List.of("idle", "count", "memory", "dead")) {
            evictions.put(reason, Counter.builder("sandbox.kept.evictions").tag("reason", reason)
                    .description("kept sandboxes removed before their project came back").register(registry));
        }
        Gauge.builder("sandbox.kept", this, KeptSandboxes::size).description("sandboxes kept for their project's next job")
                .register(registry);
        Gauge.builder("sandbox.kept.memory", this, KeptSandboxes::memoryBytes).baseUnit("bytes")
                .description("memory of the kept sandboxes' processes and /tmp").register(registry);
    }

    /** The sandbox kept for {@code key}, if there is one and it is alive; it is no longer kept. */
    Optional<WarmContainer> take(Key key) {
        Kept found;
        synchronized (this) {
            found = kept.remove(key);
            if (found == null) {
                return Optional.empty();
            }
            memoryBytes -= found.memoryBytes();
        }
        if (!found.container().isAlive()) {
            evict(found.container(), "dead");
            return Optional.empty();
        }
        reuses.increment();
        return Optional.of(found.container());
    }

    /**
     * Keeps a sandbox whose job ended and whose reset was verified, for {@code key}'s next job, and
     * makes room for it; discards it when none may be kept or it alone holds more than the budget.
     */
    void keep(Key key, WarmContainer container, long containerMemory) {
        List<Map.Entry<WarmContainer, String>> evicted = new ArrayList<>();
        synchronized (this) {
            if (settings.count() == 0 || containerMemory > settings.memoryBytes()) {
                evicted.add(Map.entry(container, settings.count() == 0 ? "count" : "memory"));
            } else {
                Kept replaced = kept.put(key, new Kept(container, containerMemory, clock.instant()));
                memoryBytes += containerMemory;
                if (replaced != null) {
                    // Not expected (a project runs one job at a time), but the older one must not leak.
                    memoryBytes -= replaced.memoryBytes();
                    evicted.add(Map.entry(replaced.container(), "count"));
                }
                Iterator<Kept> oldestFirst = kept.values().iterator();
                while (kept.size() > settings.count() || memoryBytes > settings.memoryBytes()) {
                    String reason = kept.size() > settings.count() ? "count" : "memory";
                    Kept oldest = oldestFirst.next();
                    oldestFirst.remove();
                    memoryBytes -= oldest.memoryBytes();
                    evicted.add(Map.entry(oldest.container(), reason));
                }
            }
        }
        evicted.forEach(entry -> evict(entry.getKey(), entry.getValue()));
    }

    /** Removes the sandboxes kept longer than the idle time. */
    void evictIdle() {
        Instant oldest = clock.instant().minus(settings.idle());
        List<Kept> idle = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Kept> it = kept.values().iterator(); it.hasNext(); ) {
                Kept next = it.next();
                if (!next.since().isAfter(oldest)) {
                    it.remove();
                    memoryBytes -= next.memoryBytes();
                    idle.add(next);
                }
            }
        }
        idle.forEach(next -> evict(next.container(), "idle"));
    }

    /** Removes every kept sandbox. */
    void close() {
        List<Kept> all;
        synchronized (this) {
            all = new ArrayList<>(kept.values());
            kept.clear();
            memoryBytes = 0;
        }
        all.forEach(next -> discard.accept(next.container()));
    }

    synchronized int size() {
        return kept.size();
    }

    synchronized long memoryBytes() {
        return memoryBytes;
    }

    private void evict(WarmContainer evicted, String reason) {
        evictions.get(reason).increment();
        discard.accept(evicted);
    }

    /** How long the idle check may wait: a tenth of the idle time, between 1 s and a minute. */
    Duration checkInterval() {
        Duration tenth = settings.idle().dividedBy(10);
        return tenth.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : tenth.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : tenth;
    }
}
