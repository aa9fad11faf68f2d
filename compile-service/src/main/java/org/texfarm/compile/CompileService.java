package org.texfarm.compile;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.NotFoundException;
import org.texfarm.ProjectKey;
import org.texfarm.config.CompileGroup;
import org.texfarm.config.CompileGroups;
import org.texfarm.config.CompileLimits;
import org.texfarm.config.PdfCachingSettings;
import org.texfarm.config.SandboxLimits;
import org.texfarm.config.StorageLimits;
import org.texfarm.logs.BuildLogs;
import org.texfarm.logs.LogAnnotation;
import org.texfarm.metrics.CompileMetrics;
import org.texfarm.output.BuildId;
import org.texfarm.output.BuildStore;
import org.texfarm.output.OutputFile;
import org.texfarm.output.OutputLimits;
import org.texfarm.output.PdfChunks;
import org.texfarm.sandbox.DockerSandbox;
import org.texfarm.sandbox.PdfLinearization;
import org.texfarm.sandbox.SandboxJob;
import org.texfarm.sandbox.SandboxResult;
import org.texfarm.sandbox.SandboxUnavailableException;
import org.texfarm.sync.ProjectSync;
import org.texfarm.sync.ResourcePath;
import org.texfarm.sync.SafeFiles;
import org.texfarm.sync.Sha256;
import org.texfarm.sync.SyncConflictException;

/**
 * Runs one compile from request to build: takes the project's lock, waits for a compile slot,
 * checks the disk, syncs the resources, runs latexmk in a sandbox, saves the outputs as a build and
 * says how it went. Its methods block: call them off the event loop.
 */
public final class CompileService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CompileService.class);
    private static final Pattern LATEX_RUN = Pattern.compile("^Run number \\d+ of rule '(pdf|xe|lua)?latex'", Pattern.MULTILINE);
    private static final Duration CLEAR_WAIT = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_RETRY = Duration.ofSeconds(5);
    private static final Duration WORD_COUNT_TIMEOUT = Duration.ofSeconds(60);

    private final Storage storage;
    private final CompileGroups groups;
    private final DockerSandbox sandbox;
    private final Clock clock;
    private final ProjectLocks locks = new ProjectLocks();
    private final CompileAdmission admission;
    private final Housekeeping housekeeping;
    private final ResultCache results;
    private final CompileMetrics metrics;
    private final PreambleFormats formats;
    private final PdfCachingSettings pdfCaching;
    private volatile boolean draining;

    public CompileService(CompileLimits compileLimits, CompileGroups groups, StorageLimits storageLimits,
                          PdfCachingSettings pdfCaching, Storage storage, DockerSandbox sandbox, Clock clock,
                          MeterRegistry registry) {
        this.storage = storage;
        this.pdfCaching = pdfCaching;
        this.groups = groups;
        this.sandbox = sandbox;
        this.clock = clock;
        this.admission = new CompileAdmission(compileLimits.maxConcurrent(), compileLimits.queueCapacity(),
                groups.all(), registry);
        this.housekeeping = new Housekeeping(storage, locks, storageLimits, clock, registry);
        this.results = new ResultCache(storage.builds(), registry);
        this.metrics = new CompileMetrics(registry);
        this.formats = new PreambleFormats(storage, sandbox, storage.scratch(),
                compileLimits.preambleFormats(), compileLimits.preambleDumpAfter(), registry);
    }

    /**
     * Compiles a request.
     *
     * @throws CompileInProgressException when the project is compiling already
     * @throws ServiceBusyException        when every slot and queue place is taken
     * @throws DiskLowException            when the disk is almost full
     */
    public CompileResult compile(CompileRequest request) throws InterruptedException {
        return compile(request, false);
    }

    /**
     * Compiles the health check's smoke-test document: as {@link #compile}, counted apart from
     * users' compiles in the metrics.
     */
    public CompileResult compileSmokeTest(CompileRequest request) throws InterruptedException {
        return compile(request, true);
    }

    private CompileResult compile(CompileRequest request, boolean smokeTest) throws InterruptedException {
        if (draining) {
            throw new ServiceBusyException("the server is shutting down: send the compile to another one", SHUTDOWN_RETRY);
        }
        long start = System.nanoTime();
        ProjectKey project = request.project();
        Sha256 fingerprint = Fingerprints.ofRequest(request);
        ProjectLocks.Entry entry = locks.enter(project, fingerprint);
        if (entry instanceof ProjectLocks.Joined joined) {
            return awaitJoined(joined);
        }
        ProjectLocks.Holder lock = (ProjectLocks.Holder) entry;
        try (lock) {
            CompileResult result = compileLocked(request, fingerprint, lock, start);
            lock.result().complete(result);
            if (smokeTest) {
                metrics.recordHealthCheck(result.status().wireName());
            } else {
                Map<String, Long> stages = new LinkedHashMap<>(result.timings());
                stages.putAll(result.details().timings());
                metrics.record(result.status().wireName(), request.options().engine().wireName(),
                        request.options().group().name(), result.details().resultCacheHit(), stages);
            }
            return result;
        } catch (RuntimeException | InterruptedException e) {
            lock.result().completeExceptionally(e);
            throw e;
        }
    }

    private CompileResult compileLocked(CompileRequest request, Sha256 fingerprint, ProjectLocks.Holder lock, long start)
            throws InterruptedException {
        ProjectKey project = request.project();
        if (!request.options().clean()) {
            // The request its last compile answered: no sync, no slot needed.
            Optional<CompileResult> repeated = results.lookupRequest(project, fingerprint,
                    clsiTimings(0, 0, 0, millisSince(start)), Map.of());
            if (repeated.isPresent()) {
                try {
                    storage.sync().touch(project);
                } catch (IOException e) {
                    log.warn("cannot record the use of {}: {}", project, e.getMessage());
                }
                log.info("compiled {}: the same request again, build {}", project, repeated.get().buildId());
                return repeated.get();
            }
        }
        SandboxLimits limits = request.options().group().limits();
        try (CompileAdmission.Ticket ticket = admission.enter(request.options().group())) {
            ticket.awaitSlot();
            Map<String, Long> ours = new LinkedHashMap<>();
            long mark = lap(ours, "queue", start);
            housekeeping.ensureDiskSpace();

            Path compileDir = storage.compileDirectory(project);
            lock.directory(compileDir);
            ProjectSync.Outcome synced = storage.sync().sync(project, compileDir, request.syncType(),
                    request.syncState(), request.root(), request.resources());
            Sha256 inputs = Fingerprints.ofInputs(request, synced.files());
            long syncMillis = millisSince(mark);
            if (request.options().clean()) {
                storage.sync().wipeGenerated(compileDir, synced.resourcePaths());
                formats.forget(project);
            } else if (synced.errors().isEmpty()) {
                Optional<CompileResult> cached = results.lookup(project, inputs,
                        clsiTimings(syncMillis, 0, 0, millisSince(start)), ours);
                if (cached.isPresent()) {
                    log.info("compiled {}: unchanged input, build {} again", project, cached.get().buildId());
                    return cached.get();
                }
            }
            // From here on, the main file is the one that holds the document (main.Rtex for CLSI's main.tex).
            request = request.withRoot(LatexmkCommand.source(request.root(), synced.files().keySet()));
            if (!synced.files().containsKey(request.root().toString())) {
                return failedBeforeTex(synced, syncMillis, start, ours, "the main file '" + request.root()
                        + "' (rootResourcePath) is not among the project's resources");
            }
            Optional<String> refusal = LatexmkCommand.needsShellEscape(request.root(), limits.shellEscape());
            if (refusal.isPresent()) {
                return failedBeforeTex(synced, syncMillis, start, ours, refusal.get());
            }

            Optional<PreambleFormats.Candidate> preamble = formats.candidate(request, compileDir, synced.files());
            TexRun tex = runTex(request, compileDir, lock, preamble, synced);
            SandboxResult run = tex.result();
            ours.put("sandbox", run.acquired().toMillis());
            mark = System.nanoTime();

            String buildId = Optional.ofNullable(request.options().buildId()).orElseGet(() -> BuildId.next(clock));
            BuildStore.Build build = storage.builds().save(project, buildId, compileDir, synced.resourcePaths(),
                    run.stdout(), run.stderr(), OutputLimits.of(limits));
            if (build.overLimits() && run.ending() == SandboxResult.Ending.EXITED) {
                run = run.endedAs(SandboxResult.Ending.DISK_FULL);
            }
            List<OutputFile> outputs = build.files();
            Optional<PdfChunks.Indexed> ranges = request.options().pdfCaching().enabled()
                    ? storage.pdfChunks().index(project, buildId, compileDir.resolve(SandboxJob.PDF_XREF),
                            request.options().pdfCaching().minChunkBytes(), pdfCaching.timeFor(run.elapsed()))
                    : Optional.empty();
            List<LogAnnotation> annotations = BuildLogs.annotations(name -> storage.builds().find(project, buildId,
                    ResourcePath.parse(name, name.length(), 1)), DockerSandbox.COMPILE_DIRECTORY, request.root());
            if (run.ending() != SandboxResult.Ending.EXITED) {
                // A killed TeX may have left its files half-written: the next compile starts afresh, as CLSI's does.
                SafeFiles.deleteRecursively(compileDir);
            }
            Map<String, Long> timings = new LinkedHashMap<>(
                    clsiTimings(syncMillis, run.elapsed().toMillis(), millisSince(mark), millisSince(start)));
            ranges.ifPresent(indexed -> timings.putAll(indexed.timings()));

            CompileStatus status = statusOf(run, outputs, request.options());
            String error = errorOf(run, request);
            if (run.ending() == SandboxResult.Ending.EXITED && !build.cutBySizeLimit().isEmpty()) {
                status = CompileStatus.FAILURE;
                error = "'" + build.cutBySizeLimit().getFirst() + "' reached the file size limit ("
                        + (limits.fileSizeBytes() >> 20) + " MiB) and was cut short";
            }
            log.atInfo().addKeyValue("status", status.wireName()).addKeyValue("build", buildId)
                    .addKeyValue("timings", timings).addKeyValue("error", error)
                    .log("compiled {}: {} in {} ms ({} file(s) written)", project, status.wireName(),
                            timings.get("compileE2E"), synced.filesWritten());
            if (!tex.withFormat() && preamble.isPresent() && run.succeeded() && status == CompileStatus.SUCCESS) {
                formats.succeededWithout(request, preamble.get(), synced.files());
            }
            CompileDetails details = new CompileDetails(ours, false,
                    tex.fellBack() ? CompileDetails.PreambleUse.FELL_BACK
                            : tex.withFormat() ? CompileDetails.PreambleUse.USED : CompileDetails.PreambleUse.NONE,
                    run.pdf());
            Map<String, Long> stats = stats(run, outputs, synced.createdDirectory());
            ranges.ifPresent(indexed -> stats.putAll(indexed.stats()));
            CompileResult result = new CompileResult(status, error, buildId, outputs, stats, timings, details,
                    synced.errors(), annotations, ranges.orElse(null));
            results.remember(project, fingerprint, inputs, result);
            return result;
        } catch (SyncConflictException e) {
            return CompileResult.refused(CompileStatus.CONFLICT, e.getMessage());
        } catch (SandboxUnavailableException e) {
            log.warn("compile of {} found no sandbox: {}", project, e.getMessage());
            return CompileResult.refused(CompileStatus.UNAVAILABLE, e.getMessage());
        } catch (IOException e) {
            log.error("compile of {} failed", project, e);
            return CompileResult.refused(CompileStatus.ERROR, "the service could not store the project's files: " + e.getMessage());
        }
    }

    /** A project that cannot compile as it is (its main file is missing, say): a failure that says why, with no TeX run. */
    private static CompileResult failedBeforeTex(ProjectSync.Outcome synced, long syncMillis, long start,
                                                 Map<String, Long> ours, String error) {
        Map<String, Long> stats = new LinkedHashMap<>();
        if (synced.createdDirectory()) {
            stats.put("isInitialCompile", 1L);
        }
        return new CompileResult(CompileStatus.FAILURE, error, null, List.of(), stats,
                clsiTimings(syncMillis, 0, 0, millisSince(start)), new CompileDetails(ours, false,
                CompileDetails.PreambleUse.NONE, PdfLinearization.NOT_RUN), synced.errors(), List.of(), null);
    }

    /** CLSI's timings, all of them always: a stage a cached answer skipped took 0 ms. */
    static Map<String, Long> clsiTimings(long sync, long compile, long output, long compileE2E) {
        return Map.of("sync", sync, "compile", compile, "output", output, "compileE2E", compileE2E);
    }

    /**
     * How TeX ran.
     *
     * @param withFormat whether it loaded the project's precompiled preamble
     * @param fellBack   whether it failed with it and ran again without it
     */
    private record TexRun(SandboxResult result, boolean withFormat, boolean fellBack) {
    }

    /**
     * Runs latexmk, with the project's precompiled preamble when it has one that fits; when that
     * fails, runs it again without, from scratch, in the time left (the format may be to blame).
     */
    private TexRun runTex(CompileRequest request, Path compileDir, ProjectLocks.Holder lock,
                          Optional<PreambleFormats.Candidate> preamble, ProjectSync.Outcome synced)
            throws SandboxUnavailableException, InterruptedException, IOException {
        boolean withFormat = preamble.isPresent() && !request.options().clean()
                && formats.attach(request.project(), preamble.get(), compileDir, synced.files());
        SandboxResult run = runLatexmk(request, compileDir, lock, withFormat, request.options().timeout());
        if (!withFormat) {
            return new TexRun(run, false, false);
        }
        formats.detach(compileDir);
        boolean checkStoppedIt = request.options().check() != CheckMode.NONE
                && run.exitCode() == LatexmkCommand.CHKTEX_FOUND_ERRORS;
        if (run.ending() != SandboxResult.Ending.EXITED || run.exitCode() == 0 || checkStoppedIt) {
            return new TexRun(run, true, false);
        }
        storage.sync().wipeGenerated(compileDir, synced.resourcePaths());
        SandboxResult without = runLatexmk(request, compileDir, lock, false, request.options().timeout().minus(run.elapsed()));
        formats.failedWithFormat(request.project(), preamble.get(), without.succeeded());
        return new TexRun(new SandboxResult(without.exitCode(), without.ending(), without.stdout(), without.stderr(),
                without.pdf(), run.acquired().plus(without.acquired()), run.elapsed().plus(without.elapsed())), true, true);
    }

    private SandboxResult runLatexmk(CompileRequest request, Path compileDir, ProjectLocks.Holder lock, boolean withFormat,
                                     Duration timeout) throws SandboxUnavailableException, InterruptedException, IOException {
        SandboxLimits limits = request.options().group().limits();
        SandboxJob job = new SandboxJob(request.project().toString(), request.options().image(), compileDir,
                LatexmkCommand.build(request.options(), request.root(), limits.shellEscape(), withFormat),
                timeout, limits, lock::directory, SandboxJob.Kind.PROJECT,
                request.options().pdfCaching().enabled() ? SandboxJob.PdfSteps.LINEARIZE_AND_XREF : SandboxJob.PdfSteps.LINEARIZE);
        return sandbox.run(job, lock.stop());
    }

    /** The result of the identical compile this request joined. */
    private static CompileResult awaitJoined(ProjectLocks.Joined joined) throws InterruptedException {
        try {
            return joined.result().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException("the joined compile failed", e.getCause());
        }
    }

    /**
     * The project's running compile, for following its log: where its directory is now (it moves
     * into a sandbox while TeX runs), and when it ends.
     */
    public record LiveCompile(Supplier<Path> directory, CompletableFuture<Void> ended) {
    }

    public Optional<LiveCompile> live(ProjectKey project) {
        return locks.current(project).filter(holder -> holder.directory() != null)
                .map(holder -> new LiveCompile(holder::directory, holder.released()));
    }

    /**
     * Counts the words of a file of the project's last sync, and of the files it includes, with
     * texcount in a sandbox of the default group (a minute at most).
     *
     * @param image the image texcount runs in, one the default group allows
     * @throws CompileInProgressException when the project is compiling
     * @throws NotFoundException           when the project has no such file (compile it first)
     */
    public WordCount countWords(ProjectKey project, ResourcePath file, String image)
            throws InterruptedException, IOException, SandboxUnavailableException {
        CompileGroup group = groups.defaultGroup();
        try (ProjectLocks.Holder lock = locks.acquire(project);
             CompileAdmission.Ticket ticket = admission.enter(group)) {
            ticket.awaitSlot();
            Path compileDir = storage.compileDirectory(project);
            if (!SafeFiles.isRealFile(file.resolveIn(compileDir))) {
                throw new NotFoundException("the project has no file '" + file + "': compile it first");
            }
            lock.directory(compileDir);
            SandboxJob job = new SandboxJob(project + "-wordcount", image,
                    compileDir, List.of("texcount", "-nocol", "-inc", file.toString()),
                    group.clampTimeout(WORD_COUNT_TIMEOUT), group.limits(),
                    lock::directory, SandboxJob.Kind.PROJECT, SandboxJob.PdfSteps.NONE);
            SandboxResult run = sandbox.run(job, lock.stop());
            if (run.ending() != SandboxResult.Ending.EXITED) {
                throw new SandboxUnavailableException("texcount did not finish: " + run.ending(), null);
            }
            return WordCount.parse(run.stdout());
        }
    }

    /** Work that takes a compile slot, such as a conversion. */
    @FunctionalInterface
    public interface SlotWork<T> {
        T run() throws IOException, InterruptedException, SandboxUnavailableException;
    }

    /**
     * Runs work that is not a compile in a compile slot of {@code group}, once the disk has room for
     * a compile: it waits in the group's queue, and is refused as a compile would be.
     *
     * @throws ServiceBusyException when every slot and queue place is taken, or the server is draining
     * @throws DiskLowException     when the disk is almost full
     */
    public <T> T inSlot(CompileGroup group, SlotWork<T> work) throws IOException, InterruptedException, SandboxUnavailableException {
        if (draining) {
            throw new ServiceBusyException("the server is shutting down: send the request to another one", SHUTDOWN_RETRY);
        }
        try (CompileAdmission.Ticket ticket = admission.enter(group)) {
            ticket.awaitSlot();
            housekeeping.ensureDiskSpace();
            return work.run();
        }
    }

    /** Stops the project's running compile, if any; it ends as {@code terminated}. */
    public void stop(ProjectKey project) {
        locks.current(project).ifPresent(holder -> holder.stop().stop());
    }

    /**
     * Stops the project's compile and deletes its compile directory, state and builds; its next
     * compile downloads its URL resources again, as with CLSI.
     */
    public void clear(ProjectKey project) throws IOException, InterruptedException {
        Optional<ProjectLocks.Holder> running = locks.current(project);
        if (running.isPresent()) {
            running.get().stop().stop();
            try {
                running.get().released().get(CLEAR_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new CompileInProgressException(project);
            }
        }
        try (ProjectLocks.Holder ignored = locks.acquire(project)) {
            housekeeping.deleteLocked(project);
            storage.sync().clear(project);
            results.forget(project);
        }
    }

    /** One round of expiry and blob collection; the server runs it periodically. */
    public void housekeeping() throws IOException {
        housekeeping.run();
    }

    /** Refuses new compiles from now on (503); running ones go on. */
    public void drain() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    /** Compiles running or waiting, as a share of all the compile slots and queue places (0 to 1). */
    public double load() {
        return admission.load();
    }

    /** Free space on the data directory's disk against the minimum: below 1, compiles are refused. */
    public double diskHeadroom() {
        return housekeeping.diskHeadroom();
    }

    /** Stops every running compile; each ends as {@code terminated}. */
    public void stopAll() {
        locks.all().forEach(holder -> holder.stop().stop());
    }

    /** Stops dumping preambles. */
    @Override
    public void close() {
        formats.close();
    }

    static CompileStatus statusOf(SandboxResult run, List<OutputFile> outputs, CompileOptions options) {
        return switch (run.ending()) {
            case TIMED_OUT -> CompileStatus.TIMEDOUT;
            case STOPPED, OUT_OF_MEMORY, DISK_FULL, KILLED -> CompileStatus.TERMINATED;
            case EXITED -> {
                if (options.check() == CheckMode.VALIDATE) {
                    yield run.exitCode() == 0 ? CompileStatus.VALIDATION_PASS : CompileStatus.VALIDATION_FAIL;
                }
                if (options.stopOnFirstError() && run.exitCode() != 0) {
                    yield CompileStatus.STOPPED_ON_FIRST_ERROR;
                }
                boolean pdf = outputs.stream().anyMatch(f -> f.path().equals("output.pdf") && f.size() > 0);
                yield pdf ? CompileStatus.SUCCESS : CompileStatus.FAILURE;
            }
        };
    }

    private static String errorOf(SandboxResult run, CompileRequest request) {
        CompileOptions options = request.options();
        SandboxLimits limits = options.group().limits();
        return switch (run.ending()) {
            case EXITED -> options.check() == CheckMode.ERROR && run.exitCode() == LatexmkCommand.CHKTEX_FOUND_ERRORS
                    ? "chktex found errors in " + request.root() + ", so it was not compiled: see output.chktex" : null;
            // CLSI's words, which Overleaf's editor knows.
            case TIMED_OUT -> "container timed out";
            case STOPPED -> "terminated";
            case OUT_OF_MEMORY -> "the compile ran out of memory (limit " + (limits.memoryBytes() >> 20) + " MiB)";
            case DISK_FULL -> "the project outgrew its disk limit (" + (limits.diskBytes() >> 20) + " MiB or "
                    + limits.diskFiles() + " files)";
            case KILLED -> "the sandbox was killed";
        };
    }

    /** CLSI's stats: the LaTeX runs latexmk reported, whether it failed, and the PDF's size. */
    static Map<String, Long> stats(SandboxResult run, List<OutputFile> outputs, boolean initialCompile) {
        Map<String, Long> stats = new LinkedHashMap<>();
        if (initialCompile) {
            stats.put("isInitialCompile", 1L);
        }
        if (run.ending() == SandboxResult.Ending.EXITED) {
            // latexmk reports its runs on stdout since TeX Live 2022, on stderr before.
            long runs = count(LATEX_RUN, run.stdout());
            if (runs == 0) {
                runs = count(LATEX_RUN, run.stderr());
            }
            long failed = run.exitCode() != 0 ? 1 : 0;
            stats.put("latexmk-errors", failed);
            stats.put("latex-runs", runs);
            stats.put("latex-runs-with-errors", failed * runs);
            stats.put("latex-runs-" + runs, 1L);
            stats.put("latex-runs-with-errors-" + runs, failed);
        }
        outputs.stream().filter(f -> f.path().equals("output.pdf")).findFirst()
                .ifPresent(pdf -> stats.put("pdf-size", pdf.size()));
        return stats;
    }

    private static long count(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        long count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private static long lap(Map<String, Long> timings, String stage, long since) {
        long now = System.nanoTime();
        timings.put(stage, TimeUnit.NANOSECONDS.toMillis(now - since));
        return now;
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
