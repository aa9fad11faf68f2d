package org.texfarm.compile;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.ProjectKey;
import org.texfarm.RandomIds;
import org.texfarm.config.SandboxLimits;
import org.texfarm.metrics.LatencyBuckets;
import org.texfarm.sandbox.DockerSandbox;
import org.texfarm.sandbox.SandboxJob;
import org.texfarm.sandbox.SandboxResult;
import org.texfarm.sandbox.SandboxUnavailableException;
import org.texfarm.sandbox.StopSignal;
import org.texfarm.sync.ContentStore;
import org.texfarm.sync.PreambleFormat;
import org.texfarm.sync.ProjectState;
import org.texfarm.sync.SafeFiles;
import org.texfarm.sync.Sha256;

/**
 * Precompiled preambles. Once a project has compiled the same pdflatex preamble successfully
 * often enough ({@link RepeatedPreambles}), it is dumped into a format file (mylatexformat), in a
 * sandbox that yields the CPU to compiles; later compiles
 * whose preamble and preamble inputs are unchanged load the format instead of reading the
 * preamble again. A preamble whose dump fails, or whose format fails a compile that succeeds
 * without it, is refused: never dumped again for that project.
 */
final class PreambleFormats implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PreambleFormats.class);
    static final String FORMAT_FILE = LatexmkCommand.FORMAT_NAME + ".fmt";
    /**
     * Main files whose preamble may be dumped: at the project root, where TeX works (a main file in
     * a folder is compiled in that folder, latexmk -cd, where a dump's recorded inputs differ).
     */
    private static final Pattern DUMPABLE_ROOT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*\\.tex");
    private static final int MAX_ROOT_BYTES = 4 << 20;
    private static final int QUEUED_DUMPS = 64;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /**
     * A preamble a compile could use a format for.
     *
     * @param key      its fingerprint: text, options, image, the project's file names
     * @param preamble its text
     */
    record Candidate(Sha256 key, Preamble preamble) {
    }

    private final Storage storage;
    private final DockerSandbox sandbox;
    private final Path scratch;
    private final boolean enabled;
    private final ExecutorService dumps;
    private final Set<ProjectKey> dumping = ConcurrentHashMap.newKeySet();
    /** Projects whose document failed with its format and without: compiled without one until it succeeds again. */
    private final Cache<ProjectKey, Sha256> withoutUntilSuccess = Caffeine.newBuilder().maximumSize(10_000).build();
    private final RepeatedPreambles repeated;
    private final Counter built;
    private final Counter dumpsFailed;
    private final Counter used;
    private final Counter fallbacks;
    private final Timer dumpLatency;

    /**
     * @param scratch where dumps get their working directories, on the data directory's disk
     * @param enabled   whether preambles are dumped and formats used at all
     * @param dumpAfter successful compiles of the same preamble without a format before it is dumped
     */
    PreambleFormats(Storage storage, DockerSandbox sandbox, Path scratch, boolean enabled, int dumpAfter,
                    MeterRegistry registry) {
        this.storage = storage;
        this.sandbox = sandbox;
        this.scratch = scratch;
        this.enabled = enabled;
        this.repeated = new RepeatedPreambles(dumpAfter);
        // One dump at a time: they are background work, and each holds a sandbox.
        this.dumps = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUED_DUMPS),
                Thread.ofVirtual().name("preamble-dump-", 0).factory());
        this.built = counter(registry, "built", "preambles dumped into a format");
        this.dumpsFailed = counter(registry, "dump_failed", "preambles whose dump failed (refused)");
        this.used = counter(registry, "used", "compiles that loaded a precompiled preamble");
        this.fallbacks = counter(registry, "fallback", "compiles that failed with a format and succeeded without (refused)");
        this.dumpLatency = Timer.builder("preamble.dumps").description("from the compile that asked for a dump to its preamble's format, queue included")
                .serviceLevelObjectives(LatencyBuckets.COMPILE).register(registry);
    }

    private static Counter counter(MeterRegistry registry, String outcome, String description) {
        return Counter.builder("preamble.formats").tag("outcome", outcome).description(description).register(registry);
    }

    /**
     * The request's preamble, when a format could hold it and would save time: pdflatex, not draft,
     * a root that has one that loads more than a standard class.
     */
    Optional<Candidate> candidate(CompileRequest request, Path compileDir, Map<String, Sha256> files) throws IOException {
        CompileOptions options = request.options();
        String root = request.root().toString();
        if (!enabled || options.engine() != Engine.PDFLATEX || options.draft() || !DUMPABLE_ROOT.matcher(root).matches()
                || files.containsKey(FORMAT_FILE)) {
            return Optional.empty();
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(request.root().resolveIn(compileDir), LinkOption.NOFOLLOW_LINKS)) {
            content = in.readNBytes(MAX_ROOT_BYTES + 1);
        }
        if (content.length > MAX_ROOT_BYTES) {
            return Optional.empty();
        }
        return Preamble.of(content).filter(Preamble::worthDumping).map(preamble -> new Candidate(
                Fingerprints.ofPreamble(request, files.keySet(), preamble.bytes()), preamble));
    }

    /**
     * Puts the project's format for this preamble into the compile directory, when it has one
     * that fits the files as they are; returns whether it did.
     */
    boolean attach(ProjectKey project, Candidate candidate, Path compileDir, Map<String, Sha256> files) throws IOException {
        if (candidate.key().equals(withoutUntilSuccess.getIfPresent(project))) {
            return false;
        }
        PreambleFormat format = storage.states().get(project).map(ProjectState::preamble).orElse(null);
        if (format == null || !format.fits(candidate.key(), files) || !storage.store().contains(format.format())) {
            return false;
        }
        storage.store().link(format.format(), compileDir.resolve(FORMAT_FILE));
        used.increment();
        return true;
    }

    /** Drops the project's format: a compile from scratch makes a new one. */
    void forget(ProjectKey project) throws IOException {
        storage.states().updateExisting(project, state -> state.withPreamble(null));
    }

    /** Takes the format out of the compile directory again, before its outputs are collected. */
    void detach(Path compileDir) throws IOException {
        Files.deleteIfExists(compileDir.resolve(FORMAT_FILE));
    }

    /**
     * Hears how a compile that failed with the format did without it: when it succeeded, the
     * format was to blame and is refused; when it failed as well, the document is, and the project
     * compiles without the format until it succeeds again.
     */
    void failedWithFormat(ProjectKey project, Candidate candidate, boolean succeededWithout) throws IOException {
        if (succeededWithout) {
            log.info("precompiled preamble of {} failed a compile that succeeds without it: not used again", project);
            fallbacks.increment();
            storage.states().updateExisting(project, state -> state.refusingPreamble(candidate.key()));
        } else {
            withoutUntilSuccess.put(project, candidate.key());
        }
    }

    /**
     * Hears that a compile without the format succeeded: dumps the preamble in the background once
     * the project has compiled it often enough, unless it has its format, refused it, or is being
     * dumped already.
     */
    void succeededWithout(CompileRequest request, Candidate candidate, Map<String, Sha256> files) {
        ProjectKey project = request.project();
        withoutUntilSuccess.invalidate(project);
        ProjectState state = storage.states().get(project).orElse(null);
        if (state == null || state.refusedPreambles().contains(candidate.key())
                || (state.preamble() != null && state.preamble().fits(candidate.key(), files))
                || !repeated.compiledWithout(project, candidate.key())
                || !dumping.add(project)) {
            return;
        }
        long asked = System.nanoTime();
        try {
            dumps.execute(() -> {
                try {
                    if (dump(request, candidate, files)) {
                        dumpLatency.record(Duration.ofNanos(System.nanoTime() - asked));
                    }
                } finally {
                    dumping.remove(project);
                }
            });
        } catch (RejectedExecutionException e) {
            // Enough dumps wait already; the project's next successful compile asks again.
            dumping.remove(project);
        }
    }

    /** Dumps the preamble; returns whether a format was made. */
    private boolean dump(CompileRequest request, Candidate candidate, Map<String, Sha256> files) {
        ProjectKey project = request.project();
        Path dir = scratch.resolve("preamble-" + RandomIds.hex(8));
        try {
            storage.sync().fill(dir, files);
            SafeFiles.writeAtomically(request.root().resolveIn(dir), new ByteArrayInputStream(candidate.preamble().dumpSource()));
            SandboxLimits limits = request.options().group().limits();
            SandboxJob job = new SandboxJob(project + "-preamble", request.options().image(), dir,
                    LatexmkCommand.dumpPreamble(request.options(), request.root(), limits.shellEscape()),
                    request.options().timeout(), limits, moved -> { }, SandboxJob.Kind.BACKGROUND, SandboxJob.PdfSteps.NONE);
            SandboxResult run = sandbox.run(job, new StopSignal());
            Path format = dir.resolve("output.fmt");
            if (run.succeeded() && SafeFiles.isRealFile(format)) {
                Sha256 stored;
                try (InputStream in = Files.newInputStream(format, LinkOption.NOFOLLOW_LINKS)) {
                    stored = storage.store().put(in, limits.diskBytes(), null);
                }
                PreambleFormat made = new PreambleFormat(candidate.key(), stored, inputsRead(dir, files, request));
                storage.states().updateExisting(project, state -> state.withPreamble(made));
                built.increment();
                log.info("dumped the preamble of {} into a format ({} MiB, {} project file(s) read)", project,
                        Files.size(format) >> 20, made.inputs().size());
                return true;
            } else {
                dumpsFailed.increment();
                storage.states().updateExisting(project, state -> state.refusingPreamble(candidate.key()));
                log.info("the preamble of {} cannot be dumped ({} {}): compiles read it as usual", project,
                        run.ending(), run.exitCode());
            }
        } catch (SandboxUnavailableException | IOException | ContentStore.ContentMismatchException e) {
            log.warn("dump of the preamble of {} failed: {}", project, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                SafeFiles.deleteRecursively(dir);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", dir, e.getMessage());
            }
        }
        return false;
    }

    /** The project files the dump read, from its recorder file, with their hashes. */
    private static Map<String, Sha256> inputsRead(Path dir, Map<String, Sha256> files, CompileRequest request)
            throws IOException {
        Path recorder = dir.resolve("output.fls");
        Map<String, Sha256> inputs = new HashMap<>();
        if (SafeFiles.isRealFile(recorder)) {
            for (String path : recordedInputs(Files.readAllLines(recorder, StandardCharsets.ISO_8859_1))) {
                if (files.containsKey(path) && !path.equals(request.root().toString())) {
                    inputs.put(path, files.get(path));
                }
            }
        }
        return inputs;
    }

    /** The files a TeX {@code -recorder} file says were read by relative name, normalized. */
    static List<String> recordedInputs(List<String> lines) {
        return lines.stream()
                .filter(line -> line.startsWith("INPUT "))
                .map(line -> line.substring("INPUT ".length()))
                .filter(path -> !path.startsWith("/") && path.indexOf('\0') < 0)
                .map(path -> Path.of(path).normalize().toString())
                .distinct()
                .toList();
    }

    /** Stops the running dump, if any, and waits until its sandbox is handed back for removal. */
    @Override
    public void close() {
        dumps.shutdownNow();
        try {
            if (!dumps.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("a preamble dump did not stop within {}", CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
