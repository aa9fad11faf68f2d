package org.texfarm.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.texfarm.config.KeptSandboxSettings;
import org.texfarm.config.PoolSettings;
import org.texfarm.config.ServiceConfig;
import org.texfarm.config.SandboxLimits;
import org.texfarm.config.ShellEscape;
import org.texfarm.sandbox.SandboxResult.Ending;

/**
 * Runs each job in a hardened, labelled container that serves no other project: the one its
 * compile directory kept from its last job ({@link KeptSandboxes}), else one taken warm from a
 * {@link SandboxPool}. The project directory is renamed into the container's slot, one line on
 * its launcher's private channel starts the command, and the directory is renamed back when the
 * command has ended. The container is killed at the timeout, on a stop, or when the project
 * outgrows its disk cap. After a job, the sandbox is kept for the project's next only if its reset
 * was verified: the launcher reported, /tmp is clean, and the container's cgroup, read from
 * outside, holds only init and the launcher. Any other is removed in the background.
 *
 * <p>Container settings: the group's runtime, no network, no IPC, no capabilities, no new
 * privileges, a non-root user, a read-only root with a private /tmp, memory (swap included), CPU,
 * process, file-size and open-file limits, capped logs, only the slot mounted.
 */
public final class DockerSandbox implements AutoCloseable {
    /** Where a project's files are, in its sandbox, while its compile runs: TeX records the paths it reads under it. */
    public static final String COMPILE_DIRECTORY = "/slot/" + WarmContainer.WORK;
    private static final Duration DISK_CHECK_INTERVAL = Duration.ofMillis(250);
    /** How long to wait for a container to exit after its launcher reported, to learn why a command failed. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(2);
    /** A container stopped (SIGTERM to its init) with no report: by {@code docker stop}, or by the engine shutting down. */
    private static final int STOPPED_BY_SIGTERM = 143;
    /** A container killed (SIGKILL): by {@code docker kill}, or by the kernel for memory. */
    private static final int KILLED_BY_SIGKILL = 137;
    private static final Duration ENGINE_GONE_WAIT = Duration.ofSeconds(5);
    private static final Duration ENGINE_POLL = Duration.ofMillis(100);
    private static final Duration QUIET_MAX_DELAY = Duration.ofSeconds(2);
    /** How long after a compile's sandbox ends its outputs are collected and its answer sent: no engine work then. */
    private static final Duration SETTLE_TIME = Duration.ofMillis(200);
    /** How long a job waits for its sandbox's launcher to be ready (its image's warm-up included). */
    private static final Duration READY_WAIT = Duration.ofSeconds(60);
    /** How long init may take to reap the processes the launcher killed after a job. */
    private static final Duration REAP_WAIT = Duration.ofMillis(500);
    /**
     * Most jobs a kept sandbox runs: RLIMIT_CPU, a backstop per process, counts the launcher's
     * own time (relaying output, resets) over all of them.
     */
    private static final int MAX_JOBS = 100;

    private final Containers containers;
    private final SandboxPool pool;
    private final KeptSandboxes kept;
    private final ScheduledExecutorService timer;
    private final ExecutorService background;
    /** Engine work that can wait for a quiet moment: removing used containers, starting spare ones. */
    private final QuietExecutor quiet;
    private final AtomicInteger running = new AtomicInteger();
    private final Counter lookupsRemembered;
    private final Counter lookupsRun;
    private volatile long lastEndedNanos = System.nanoTime() - SETTLE_TIME.toNanos();

    /**
     * @param slots        where sandbox slots live, as the service sees it
     * @param sandboxSlots the same directory as the Docker host sees it
     * @param maxTimeout   the longest timeout a job may have (pooled containers are made before the job is known)
     */
    public DockerSandbox(DockerClient docker, String instanceId, Path slots, Path sandboxSlots, Duration maxTimeout,
                         PoolSettings pool, KeptSandboxSettings keptSettings, ScheduledExecutorService timer,
                         ExecutorService background, Clock clock, MeterRegistry registry) {
        this.containers = new Containers(docker, instanceId, slots, sandboxSlots, ServiceConfig.currentUid() == 0,
                new ContainerCgroups(keptSettings.cgroupRoot()));
        this.quiet = new QuietExecutor(background, this::busy, QUIET_MAX_DELAY, timer);
        this.pool = new SandboxPool(containers, maxTimeout, pool.size(), pool.minimum(), pool.idleAfter(), quiet,
                background, clock, registry);
        this.kept = new KeptSandboxes(keptSettings, clock, container -> quiet.execute(() -> containers.discard(container)),
                registry);
        long check = kept.checkInterval().toMillis();
        timer.scheduleWithFixedDelay(kept::evictIdle, check, check, TimeUnit.MILLISECONDS);
        this.timer = timer;
        this.background = background;
        Gauge.builder("sandbox.active", running::get).description("sandboxes running a job").register(registry);
        this.lookupsRemembered = lookups(registry, "remembered", "answered by the sandbox from the project's earlier compiles");
        this.lookupsRun = lookups(registry, "kpsewhich", "answered by running kpsewhich");
        timer.scheduleWithFixedDelay(this.pool::shrinkIfIdle, 30, 30, TimeUnit.SECONDS);
    }

    private static Counter lookups(MeterRegistry registry, String answeredBy, String description) {
        return Counter.builder("sandbox.latexmk.lookups").tag("answered", answeredBy)
                .description("latexmk's kpsewhich lookups of bibliographies and styles, " + description).register(registry);
    }

    /** Removes what an earlier run of this instance left (containers, slots); returns how many containers. */
    public int removeLeftovers() throws IOException {
        return containers.removeLeftovers();
    }

    /** Whether the Docker engine answers a ping. */
    public boolean engineAnswers() {
        return containers.engineAnswers();
    }

    /** Starts the pool's containers for this image and these limits, in the background. */
    public void prewarm(String image, SandboxLimits limits, int count) {
        pool.refill(new SandboxPool.Key(image, limits, false), count);
    }

    public SandboxResult run(SandboxJob job, StopSignal stop) throws SandboxUnavailableException, InterruptedException, IOException {
        long acquireStart = System.nanoTime();
        if (stop.isStopped()) {
            return SandboxResult.stoppedBeforeStart();
        }
        running.incrementAndGet();
        boolean background = job.kind() == SandboxJob.Kind.BACKGROUND;
        KeptSandboxes.Key keptKey = job.kind() == SandboxJob.Kind.PROJECT
                ? new KeptSandboxes.Key(job.workDir(), job.image(), job.limits()) : null;
        WarmContainer container;
        boolean reused;
        try {
            container = keptKey == null ? null : kept.take(keptKey).orElse(null);
            reused = container != null;
            if (!reused) {
                container = pool.take(new SandboxPool.Key(job.image(), job.limits(), background));
            }
        } catch (SandboxUnavailableException | RuntimeException e) {
            running.decrementAndGet();
            throw e;
        }
        Outcome outcome = null;
        try {
            awaitReady(container);
            Files.move(job.workDir(), container.work(), StandardCopyOption.ATOMIC_MOVE);
            job.moved().accept(container.work());
            try {
                outcome = runIn(container, job, stop, acquireStart, reused);
                return outcome.result();
            } finally {
                Files.move(container.work(), job.workDir(), StandardCopyOption.ATOMIC_MOVE);
                job.moved().accept(job.workDir());
            }
        } catch (DockerException | DockerClientException e) {
            throw new SandboxUnavailableException("the Docker engine failed while running the compile: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (isEngineUnreachable(e)) {
                throw new SandboxUnavailableException("the Docker engine is unreachable: " + e.getMessage(), e);
            }
            throw e;
        } finally {
            lastEndedNanos = System.nanoTime();
            running.decrementAndGet();
            keepOrDiscard(container, keptKey, outcome);
        }
    }

    /** Keeps a sandbox whose reset was verified for its project's next job; discards any other. */
    private void keepOrDiscard(WarmContainer container, KeptSandboxes.Key keptKey, Outcome outcome) {
        OptionalLong memory = outcome != null && outcome.resetVerified() && keptKey != null && container.countJob() < MAX_JOBS
                ? container.processCounter().map(ContainerCgroups.Cgroup::memoryBytes).orElse(OptionalLong.empty())
                : OptionalLong.empty();
        if (memory.isPresent()) {
            kept.keep(keptKey, container, memory.getAsLong());
        } else {
            quiet.execute(() -> containers.discard(container));
        }
    }

    /** Waits for a container's launcher to be ready, which it usually is when the pool hands it out. */
    private static void awaitReady(WarmContainer container) throws SandboxUnavailableException, InterruptedException {
        try {
            CompletableFuture.anyOf(container.launcher().ready(), container.exit()).get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Told below.
        }
        CompletableFuture<Void> ready = container.launcher().ready();
        if (!ready.isDone() || ready.isCompletedExceptionally()) {
            throw new SandboxUnavailableException("the sandbox's launcher did not start"
                    + (container.exit().isDone() ? " (its container exited)" : " within " + READY_WAIT.toSeconds() + " s"), null);
        }
    }

    /** Whether a compile runs, or one ended so recently that its answer is still being made. */
    private boolean busy() {
        return running.get() > 0 || System.nanoTime() - lastEndedNanos < SETTLE_TIME.toNanos();
    }

    /**
     * A job's result, and whether its sandbox was verified reset for the project's next job: the
     * launcher reported, nothing forced the job's end, /tmp is clean, and only init and the
     * launcher are left, counted from outside.
     */
    private record Outcome(SandboxResult result, boolean resetVerified) {
    }

    private Outcome runIn(WarmContainer container, SandboxJob job, StopSignal stop, long acquireStart, boolean reused)
            throws IOException, InterruptedException, SandboxUnavailableException {
        // Once the job has ended, no stop, timeout or disk check may kill the sandbox: it may be kept.
        AtomicReference<Ending> forcedEnding = new AtomicReference<>();
        stop.onStop(() -> {
            if (forcedEnding.compareAndSet(null, Ending.STOPPED)) {
                containers.kill(container.id());
            }
        });
        if (stop.isStopped()) {
            return new Outcome(SandboxResult.stoppedBeforeStart(), false);
        }
        if (!reused) {
            background.execute(() -> containers.rename(container.id(), job.name()));
        }
        OptionalLong oomKillsBefore = oomKills(container);
        String line = String.join("\0", Long.toString(job.limits().logBytes()), Long.toString(job.timeout().toMillis()),
                Integer.toString(job.pdf().level), String.join("\0", job.command()));
        CompletableFuture<String> reported = container.launcher().send(line);
        try {
            return await(container, job, forcedEnding, reported, acquireStart, oomKillsBefore);
        } finally {
            if (!reported.isDone()) {
                container.launcher().abandon(reported);
            }
        }
    }

    private Outcome await(WarmContainer container, SandboxJob job, AtomicReference<Ending> forcedEnding,
                          CompletableFuture<String> reported, long acquireStart, OptionalLong oomKillsBefore)
            throws InterruptedException, SandboxUnavailableException, IOException {
        long started = System.nanoTime();
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            if (forcedEnding.compareAndSet(null, Ending.TIMED_OUT)) {
                containers.kill(container.id());
            }
        }, job.timeout().toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> diskWatch = timer.scheduleWithFixedDelay(() -> {
            if (overDiskCap(container.work(), job.limits()) && forcedEnding.compareAndSet(null, Ending.DISK_FULL)) {
                containers.kill(container.id());
            }
        }, DISK_CHECK_INTERVAL.toMillis(), DISK_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        Report report;
        boolean launcherReported;
        try {
            CompletableFuture.anyOf(reported, container.exit()).exceptionally(failure -> null).get();
            launcherReported = reported.isDone() && !reported.isCompletedExceptionally();
            report = launcherReported ? Report.parse(reported.join())
                    : new Report(container.exit().get(), PdfLinearization.NOT_RUN, false, 0, 0);
            lookupsRemembered.increment(report.lookupsRemembered());
            lookupsRun.increment(report.lookupsRun());
        } catch (ExecutionException e) {
            throw new SandboxUnavailableException("lost the sandbox while it ran: " + e.getCause().getMessage(), e.getCause());
        } finally {
            timeout.cancel(false);
            diskWatch.cancel(false);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        // From here on nothing kills the sandbox for the job: null means nothing did.
        Ending forced = forcedEnding.compareAndExchange(null, Ending.EXITED);
        boolean resetVerified = launcherReported && forced == null && report.tmpClean() && onlyLauncherLeft(container);
        if (launcherReported && !resetVerified && job.limits().shellEscape() == ShellEscape.FULL) {
            // The launcher ended every process it could signal before it reported; unless that was
            // counted from outside, a command run by full shell escape is not trusted to have let
            // it: the whole container ends before the project directory leaves it.
            containers.kill(container.id());
            awaitExit(container);
        }
        int exitCode = report.exitCode();
        Ending ending = forced;
        if (ending == null) {
            if (launcherReported) {
                ending = exitCode != 0 && childRanOutOfMemory(container, oomKillsBefore) ? Ending.OUT_OF_MEMORY : Ending.EXITED;
            } else if (exitCode == STOPPED_BY_SIGTERM && engineGoesAway()) {
                // Stopped with no report, as the engine stops its containers on its way down.
                throw new SandboxUnavailableException("the Docker engine stopped during the compile", null);
            } else {
                ending = exitCode == KILLED_BY_SIGKILL && containers.outOfMemory(container.id())
                        ? Ending.OUT_OF_MEMORY : Ending.KILLED;
            }
        }
        SandboxResult result = new SandboxResult(exitCode, ending, read(container.console(), job.limits().logBytes()),
                read(container.errors(), job.limits().logBytes()), ending == Ending.EXITED ? report.pdf() : PdfLinearization.NOT_RUN,
                Duration.ofNanos(started - acquireStart), elapsed);
        return new Outcome(result, resetVerified && ending == Ending.EXITED);
    }

    /**
     * Whether the container's cgroup, counted from outside, holds only init and the launcher: the
     * launcher killed the rest before it reported, and init reaps those it inherited in a moment.
     */
    private static boolean onlyLauncherLeft(WarmContainer container) throws InterruptedException {
        Optional<ContainerCgroups.Cgroup> cgroup = container.processCounter();
        if (cgroup.isEmpty()) {
            return false;
        }
        long deadline = System.nanoTime() + REAP_WAIT.toNanos();
        while (true) {
            OptionalLong tasks = cgroup.get().tasks();
            if (tasks.isEmpty() || tasks.getAsLong() < Containers.IDLE_TASKS) {
                return false;
            }
            if (tasks.getAsLong() == Containers.IDLE_TASKS) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
    }

    /** Whether the engine stops answering within a short wait: it is shutting down. */
    private boolean engineGoesAway() throws InterruptedException {
        long deadline = System.nanoTime() + ENGINE_GONE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!containers.engineAnswers()) {
                return true;
            }
            Thread.sleep(ENGINE_POLL.toMillis());
        }
        return false;
    }

    /**
     * Whether the kernel killed a process of the container for memory while the job ran: TeX run
     * by latexmk dies, latexmk reports a failure. The container's cgroup counts such kills; where
     * the service cannot read it, the engine knows once the container has exited, so it is ended.
     */
    private boolean childRanOutOfMemory(WarmContainer container, OptionalLong oomKillsBefore) throws InterruptedException {
        OptionalLong oomKillsAfter = oomKills(container);
        if (oomKillsBefore.isPresent() && oomKillsAfter.isPresent()) {
            return oomKillsAfter.getAsLong() > oomKillsBefore.getAsLong();
        }
        containers.kill(container.id());
        awaitExit(container);
        return containers.outOfMemory(container.id());
    }

    /** How many of the container's processes the kernel has killed for memory, where its cgroup can be read. */
    private static OptionalLong oomKills(WarmContainer container) {
        return container.processCounter().map(ContainerCgroups.Cgroup::oomKills).orElse(OptionalLong.empty());
    }

    /** Waits a little for the container's exit, which follows a kill. */
    private static void awaitExit(WarmContainer container) throws InterruptedException {
        try {
            container.exit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Inspect what the engine knows now.
        }
    }

    /**
     * What the launcher reports when a job has ended: the command's exit code, what became of the
     * PDF, whether /tmp is back to its state after the warm-up but for the font caches, and how many
     * of latexmk's kpsewhich lookups it answered from memory and how many kpsewhich did.
     */
    private record Report(int exitCode, PdfLinearization pdf, boolean tmpClean, long lookupsRemembered,
                          long lookupsRun) {
        static Report parse(String line) throws IOException {
            String[] fields = line.split(" ");
            try {
                return new Report(Integer.parseInt(fields[0]), PdfLinearization.reported(fields.length > 1 ? fields[1] : ""),
                        fields.length > 2 && fields[2].equals("clean"), count(fields, 3), count(fields, 4));
            } catch (NumberFormatException e) {
                throw new IOException("the launcher's report is garbled: '" + line + "'", e);
            }
        }

        private static long count(String[] fields, int index) {
            return fields.length > index ? Long.parseLong(fields[index]) : 0;
        }
    }

    /** One of the command's outputs as the launcher kept it, at most {@code cap} bytes. */
    private static String read(Path output, long cap) throws IOException {
        try (FileChannel channel = FileChannel.open(output, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(cap, Math.max(0, channel.size())));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // Reads up to the cap.
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    /** Whether the directory holds more bytes or files than the limits allow; stops counting once it does. */
    static boolean overDiskCap(Path dir, SandboxLimits limits) {
        long[] totals = new long[2];
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    totals[0] += attrs.size();
                    totals[1]++;
                    return totals[0] > limits.diskBytes() || totals[1] > limits.diskFiles()
                            ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return false;
        }
        return totals[0] > limits.diskBytes() || totals[1] > limits.diskFiles();
    }

    /** Discards the idle containers and hands pending removals to the background executor. */
    @Override
    public void close() {
        pool.close();
        kept.close();
        quiet.flush();
    }

    private static boolean isEngineUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
