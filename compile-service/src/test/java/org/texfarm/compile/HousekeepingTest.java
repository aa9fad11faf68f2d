package org.texfarm.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.texfarm.MutableClock;
import org.texfarm.ProjectKey;
import org.texfarm.config.DownloadPolicy;
import org.texfarm.config.PlaygroundSettings;
import org.texfarm.config.StorageLimits;
import org.texfarm.output.BuildStore;
import org.texfarm.output.PdfChunks;
import org.texfarm.output.OutputLimits;
import org.texfarm.sync.ContentStore;
import org.texfarm.sync.KeepBetweenRuns;
import org.texfarm.sync.Ownership;
import org.texfarm.sync.ProjectStates;
import org.texfarm.sync.ProjectSync;
import org.texfarm.sync.Resource;
import org.texfarm.sync.ResourcePath;
import org.texfarm.sync.Sha256;
import org.texfarm.sync.SyncType;
import org.texfarm.sync.UrlCache;
import org.texfarm.sync.UrlFetcher;

/** Expiry, blob collection and the disk-low rule, on a fake clock and a fake free-space reading. */
class HousekeepingTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path temp;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final AtomicLong freeBytes = new AtomicLong(100 * GIB);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private Storage storage;
    private ProjectLocks locks;
    private Housekeeping housekeeping;

    @BeforeEach
    void setUp() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ContentStore store = ContentStore.open(temp.resolve("store"), true, clock, registry);
        UrlFetcher fetcher = new UrlFetcher(new DownloadPolicy(List.of(), Duration.ofSeconds(1), Duration.ofSeconds(1),
                1000, 0, 0, Duration.ZERO, null), timer);
        UrlCache urls = new UrlCache(fetcher, store, temp.resolve("url-cache"), clock, registry);
        ProjectStates states = new ProjectStates(temp.resolve("state"));
        ProjectSync sync = new ProjectSync(store, urls, states, new KeepBetweenRuns(null), new Ownership(0, 0, false),
                clock, Duration.ofDays(1), registry);
        BuildStore builds = new BuildStore(temp.resolve("builds"), 2, Runnable::run);
        storage = new Storage(temp.resolve("compiles"), sync, states, store, urls, builds,
                new PdfChunks(builds, 2, clock, System::nanoTime), temp.resolve("scratch"), freeBytes::get);
        locks = new ProjectLocks();
        housekeeping = new Housekeeping(storage, locks, new StorageLimits(Duration.ofDays(1), Duration.ofDays(7),
                Duration.ofDays(1), 1000, GIB, Duration.ofMinutes(10), null,
                new PlaygroundSettings(true, "playground", Duration.ofHours(1))), clock, registry);
    }

    @AfterEach
    void tearDown() {
        timer.shutdownNow();
    }

    private ProjectKey compiled(String id, String content) throws Exception {
        ProjectKey project = ProjectKey.of(id, null);
        Path dir = storage.compileDirectory(project);
        storage.sync().sync(project, dir, SyncType.FULL, "s", ResourcePath.parse("main.tex", 100, 10),
                List.of(new Resource.Inline(ResourcePath.parse("main.tex", 100, 10), content)));
        Files.writeString(dir.resolve("output.log"), "log");
        storage.builds().save(project, "1-aa", dir, java.util.Set.of("main.tex"), "", "", new OutputLimits(1 << 20, 100, 1 << 20, 1 << 16));
        return project;
    }

    @Test
    void expiresIdleProjectsAndCollectsTheirBlobs() throws Exception {
        ProjectKey idle = compiled("idle", "idle content");
        clock.advance(Duration.ofHours(20));
        ProjectKey active = compiled("active", "active content");
        clock.advance(Duration.ofHours(5));

        housekeeping.run();

        assertThat(storage.compileDirectory(idle)).doesNotExist();
        assertThat(storage.states().get(idle)).isEmpty();
        assertThat(temp.resolve("builds/p/idle")).doesNotExist();
        assertThat(storage.compileDirectory(active)).isDirectory();
        assertThat(storage.states().get(active)).isPresent();
        assertThat(storage.store().contains(Sha256.of("idle content".getBytes()))).isFalse();
        assertThat(storage.store().contains(Sha256.of("active content".getBytes()))).isTrue();
    }

    @Test
    void expiresThePlaygroundsProjectsAfterTheirOwnShorterIdleTime() throws Exception {
        ProjectKey demo = compiled("playground-0123abcd", "demo");
        ProjectKey editor = compiled("editor", "edited");
        clock.advance(Duration.ofMinutes(61));

        housekeeping.run();

        assertThat(storage.states().get(demo)).isEmpty();
        assertThat(storage.compileDirectory(demo)).doesNotExist();
        assertThat(storage.states().get(editor)).isPresent();
    }

    @Test
    void collectsAnUnreferencedBlobOnlyAfterItsGracePeriod() throws Exception {
        // Stored, but not yet in any project's state: a sync may be about to refer to it.
        Sha256 fresh = storage.store().put("fresh".getBytes());

        housekeeping.run();
        assertThat(storage.store().contains(fresh)).isTrue();

        clock.advance(Duration.ofMinutes(11));
        housekeeping.run();
        assertThat(storage.store().contains(fresh)).isFalse();
    }

    @Test
    void leavesAProjectThatIsCompilingAlone() throws Exception {
        ProjectKey busy = compiled("busy", "x");
        clock.advance(Duration.ofDays(2));

        try (ProjectLocks.Holder ignored = locks.acquire(busy)) {
            housekeeping.run();
        }

        assertThat(storage.compileDirectory(busy)).isDirectory();
    }

    @Test
    void evictsTheLeastRecentlyUsedProjectsWhenTheDiskIsLow() throws Exception {
        ProjectKey oldest = compiled("oldest", "a");
        clock.advance(Duration.ofMinutes(1));
        ProjectKey newest = compiled("newest", "b");
        freeBytes.set(GIB / 2);
        // Deleting a project frees space: model it by the compile directory's disappearance.
        Storage watching = new Storage(storage.compilesRoot(), storage.sync(), storage.states(), storage.store(),
                storage.urls(), storage.builds(), storage.pdfChunks(), storage.scratch(), () -> Files.exists(storage.compileDirectory(oldest)) ? GIB / 2 : 3 * GIB);
        Housekeeping tight = new Housekeeping(watching, locks, new StorageLimits(Duration.ofDays(1), Duration.ofDays(7),
                Duration.ofDays(1), 1000, GIB, Duration.ofMinutes(10), null,
                new PlaygroundSettings(true, "playground", Duration.ofHours(1))), clock, new SimpleMeterRegistry());

        tight.ensureDiskSpace();

        assertThat(storage.compileDirectory(oldest)).doesNotExist();
        assertThat(storage.compileDirectory(newest)).isDirectory();
    }

    @Test
    void refusesCompilesWhileTheDiskStaysLow() throws Exception {
        compiled("only", "a");
        freeBytes.set(GIB / 4);

        assertThatThrownBy(() -> housekeeping.ensureDiskSpace())
                .isInstanceOf(DiskLowException.class).hasMessageContaining("256 MiB free").hasMessageContaining("1024 MiB needed");
        assertThat(storage.states().all()).isEmpty();

        freeBytes.set(2 * GIB);
        housekeeping.ensureDiskSpace();
    }
}
