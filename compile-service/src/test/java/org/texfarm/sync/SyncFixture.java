package org.texfarm.sync;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.texfarm.MutableClock;
import org.texfarm.config.DownloadPolicy;

/** A real content store, URL cache, states and sync over a temp directory, on a clock tests can move. */
final class SyncFixture implements AutoCloseable {
    final Path root;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    final ContentStore store;
    final UrlFetcher fetcher;
    final UrlCache urls;
    final ProjectStates states;
    final ProjectSync sync;

    SyncFixture(Path root, List<String> allowedHosts, boolean hardLinks) throws IOException {
        this.root = root;
        store = ContentStore.open(root.resolve("store"), hardLinks, clock, registry);
        fetcher = new UrlFetcher(new DownloadPolicy(allowedHosts, Duration.ofSeconds(2), Duration.ofSeconds(5),
                100_000, 3, 2, Duration.ofMillis(10), null), timer);
        urls = new UrlCache(fetcher, store, root.resolve("url-cache"), clock, registry);
        states = new ProjectStates(root.resolve("state"));
        sync = new ProjectSync(store, urls, states, new KeepBetweenRuns(null), new Ownership(0, 0, false), clock,
                Duration.ofDays(1), registry);
    }

    double counter(String name) {
        return registry.counter(name).count();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
