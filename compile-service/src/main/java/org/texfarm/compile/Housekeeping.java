package org.texfarm.compile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.ProjectKey;
import org.texfarm.config.StorageLimits;
import org.texfarm.sync.SafeFiles;
import org.texfarm.sync.Sha256;

/**
 * Keeps the data directory within bounds: idle projects expire (compile directory, state,
 * builds), unused URL cache entries expire, and blobs no project or cache entry refers to are
 * deleted. When free disk falls under the minimum, expiry tightens to the least recently used
 * projects until enough is free, and compiles are refused while it is not.
 */
final class Housekeeping {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
    /** Blobs younger than this are never collected: a sync may be about to refer to them. */
    private static final Duration BLOB_GRACE = Duration.ofMinutes(10);
    /** The same, when the disk is low: only a sync running right now may still be about to refer to them. */
    private static final Duration BLOB_GRACE_WHEN_LOW = Duration.ofMinutes(1);
    /** While evicting, blobs are collected after this many projects. */
    private static final int BLOBS_EVERY = 16;

    private final Storage storage;
    private final ProjectLocks locks;
    private final StorageLimits limits;
    private final Clock clock;
    private final Counter expired;

    Housekeeping(Storage storage, ProjectLocks locks, StorageLimits limits, Clock clock, MeterRegistry registry) {
        this.storage = storage;
        this.locks = locks;
        this.limits = limits;
        this.clock = clock;
        this.expired = Counter.builder("projects.expired").description("idle projects whose files were deleted").register(registry);
        Gauge.builder("disk.free.bytes", storage.freeBytes()::getAsLong).baseUnit("bytes")
                .description("free space on the data directory's disk").register(registry);
    }

    /** One round: expire idle projects and URL cache entries, then collect unreferenced blobs. */
    synchronized void run() throws IOException {
        Instant now = clock.instant();
        int projects = 0;
        for (var entry : storage.states().all().entrySet()) {
            Instant idleSince = now.minus(limits.idleLimitOf(entry.getKey()));
            if (entry.getValue().lastUsed().isBefore(idleSince) && delete(entry.getKey())) {
                projects++;
            }
        }
        int urls = storage.urls().expire(now.minus(limits.urlCacheIdle()));
        int blobs = collectBlobs(now.minus(BLOB_GRACE));
        if (projects + urls + blobs > 0) {
            log.info("housekeeping: {} idle project(s), {} URL cache entr(ies) expired; {} blob(s) collected", projects, urls, blobs);
        }
    }

    /**
     * Makes sure the disk has the minimum free space, expiring the least recently used projects
     * if it has not; throws {@link DiskLowException} when even that is not enough.
     */
    void ensureDiskSpace() throws IOException {
        long minimum = limits.diskMinFreeBytes();
        if (storage.freeBytes().getAsLong() >= minimum) {
            return;
        }
        synchronized (this) {
            if (storage.freeBytes().getAsLong() < minimum) {
                evictUntilFree(2 * minimum);
            }
        }
        long free = storage.freeBytes().getAsLong();
        if (free < minimum) {
            throw new DiskLowException(free, minimum);
        }
    }

    /** Free disk space as a multiple of the minimum ({@code DISK_MIN_FREE}); infinite when there is no minimum. */
    double diskHeadroom() {
        long minimum = limits.diskMinFreeBytes();
        return minimum == 0 ? Double.POSITIVE_INFINITY : (double) storage.freeBytes().getAsLong() / minimum;
    }

    /** Deletes a project's compile directory, state and builds, unless it is compiling; returns whether it did. */
    boolean delete(ProjectKey project) throws IOException {
        ProjectLocks.Holder lock;
        try {
            lock = locks.acquire(project);
        } catch (CompileInProgressException e) {
            return false;
        }
        try (lock) {
            deleteLocked(project);
        }
        expired.increment();
        return true;
    }

    /** Deletes a project's data; the caller holds its lock. */
    void deleteLocked(ProjectKey project) throws IOException {
        SafeFiles.deleteRecursively(storage.compileDirectory(project));
        storage.builds().deleteAll(project);
        storage.sync().forget(project);
    }

    private void evictUntilFree(long target) throws IOException {
        List<ProjectKey> byAge = storage.states().all().entrySet().stream()
                .sorted(Comparator.comparing(e -> e.getValue().lastUsed()))
                .map(Map.Entry::getKey)
                .toList();
        int evicted = 0;
        for (ProjectKey project : byAge) {
            if (storage.freeBytes().getAsLong() >= target) {
                break;
            }
            if (delete(project) && ++evicted % BLOBS_EVERY == 0) {
                // A project's inputs are freed only once their blobs are collected.
                collectBlobs(clock.instant().minus(BLOB_GRACE_WHEN_LOW));
            }
        }
        if (storage.freeBytes().getAsLong() < target) {
            collectBlobs(clock.instant().minus(BLOB_GRACE_WHEN_LOW));
        }
        log.warn("disk low ({} MiB free): evicted {} least recently used project(s)",
                storage.freeBytes().getAsLong() >> 20, evicted);
    }

    private int collectBlobs(Instant storedBefore) throws IOException {
        Set<Sha256> live = new HashSet<>(storage.urls().referencedHashes());
        storage.states().all().values().forEach(state -> live.addAll(state.referencedHashes()));
        return storage.store().collect(live::contains, storedBefore);
    }
}
