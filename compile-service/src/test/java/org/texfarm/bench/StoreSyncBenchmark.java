package org.texfarm.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.texfarm.ProjectKey;
import org.texfarm.config.DownloadPolicy;
import org.texfarm.sync.ContentStore;
import org.texfarm.sync.KeepBetweenRuns;
import org.texfarm.sync.Ownership;
import org.texfarm.sync.ProjectStates;
import org.texfarm.sync.ProjectSync;
import org.texfarm.sync.Resource;
import org.texfarm.sync.ResourcePath;
import org.texfarm.sync.SyncType;
import org.texfarm.sync.UrlCache;
import org.texfarm.sync.UrlFetcher;

/**
 * The service's own cost of syncing a 500-file, 50 MB project (the sync stage of a compile,
 * without HTTP or TeX): a first full sync, a full sync with one file changed, an incremental sync
 * with one file changed, and a second project that shares 90% of the first one's files.
 * Run with {@code compile-service/benchmark-sync}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreSyncBenchmark {
    static final int FILES = 500;
    static final int FILE_BYTES = 100 * 1024;
    private static final ResourcePath ROOT = ResourcePath.parse("main.tex", 100, 10);

    private Path dataDir;
    private ScheduledExecutorService timer;
    private ContentStore store;
    private ProjectSync sync;
    private List<Resource> project;
    private final AtomicInteger edits = new AtomicInteger();
    private final AtomicInteger names = new AtomicInteger();
    private ProjectKey synced;

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        dataDir = Files.createTempDirectory("store-bench");
        timer = Executors.newSingleThreadScheduledExecutor();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        store = ContentStore.open(dataDir.resolve("store"), true, Clock.systemUTC(), registry);
        UrlFetcher fetcher = new UrlFetcher(new DownloadPolicy(List.of(), Duration.ofSeconds(1), Duration.ofSeconds(1),
                1, 0, 0, Duration.ZERO, null), timer);
        sync = new ProjectSync(store, new UrlCache(fetcher, store, dataDir.resolve("urls"), Clock.systemUTC(), registry),
                new ProjectStates(dataDir.resolve("state")), new KeepBetweenRuns(null), new Ownership(0, 0, false),
                Clock.systemUTC(), Duration.ofDays(1), registry);
        project = project(new Random(42));
        synced = ProjectKey.of("synced", null);
        try {
            sync.sync(synced, dir(synced), SyncType.FULL, "state", ROOT, project);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws IOException {
        timer.shutdownNow();
        org.texfarm.sync.SafeFiles.deleteRecursively(dataDir);
    }

    /** (1) A project the service has never seen, into an empty store. */
    @Benchmark
    public ProjectSync.Outcome firstFullSync() throws Exception {
        ContentStore fresh = ContentStore.open(dataDir.resolve("fresh-" + names.incrementAndGet()), true,
                Clock.systemUTC(), new SimpleMeterRegistry());
        ProjectSync freshSync = new ProjectSync(fresh, null, new ProjectStates(dataDir.resolve("fresh-state-" + names.get())),
                new KeepBetweenRuns(null), new Ownership(0, 0, false), Clock.systemUTC(), Duration.ofDays(1),
                new SimpleMeterRegistry());
        ProjectKey key = ProjectKey.of("first-" + names.get(), null);
        return freshSync.sync(key, dir(key), SyncType.FULL, "state", ROOT, project);
    }

    /** (2) Every file sent again, one of them changed. */
    @Benchmark
    public ProjectSync.Outcome fullSyncOneFileChanged() throws Exception {
        List<Resource> changed = new ArrayList<>(project);
        changed.set(1, edit(project.get(1)));
        return sync.sync(synced, dir(synced), SyncType.FULL, "state", ROOT, changed);
    }

    /** (3) Only the changed file sent. */
    @Benchmark
    public ProjectSync.Outcome incrementalSyncOneFileChanged() throws Exception {
        return sync.sync(synced, dir(synced), SyncType.INCREMENTAL, "state", ROOT, List.of(edit(project.get(1))));
    }

    /** (4) Another project: 90% of its files are the first project's. */
    @Benchmark
    public ProjectSync.Outcome secondProjectSharing90Percent() throws Exception {
        List<Resource> second = new ArrayList<>(project);
        Random random = new Random(names.incrementAndGet());
        for (int i = 0; i < FILES / 10; i++) {
            second.set(FILES - 1 - i, new Resource.Inline(second.get(FILES - 1 - i).path(), text(random, FILE_BYTES)));
        }
        ProjectKey key = ProjectKey.of("second-" + names.get(), null);
        return sync.sync(key, dir(key), SyncType.FULL, "state", ROOT, second);
    }

    private Resource edit(Resource resource) {
        Resource.Inline inline = (Resource.Inline) resource;
        return new Resource.Inline(inline.path(), inline.content() + " edit " + edits.incrementAndGet());
    }

    private Path dir(ProjectKey key) {
        return dataDir.resolve("compiles").resolve(key.relativeDirectory());
    }

    static List<Resource> project(Random random) {
        List<Resource> files = new ArrayList<>();
        files.add(new Resource.Inline(ROOT, "\\documentclass{article}\\begin{document}Benchmark.\\end{document}"));
        for (int i = 1; i < FILES; i++) {
            String path = "data/part-" + (i / 50) + "/file-" + i + ".txt";
            files.add(new Resource.Inline(ResourcePath.parse(path, 200, 10), text(random, FILE_BYTES)));
        }
        return files;
    }

    static String text(Random random, int bytes) {
        byte[] chars = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            chars[i] = (byte) ('a' + random.nextInt(26));
        }
        return new String(chars, StandardCharsets.US_ASCII);
    }
}
