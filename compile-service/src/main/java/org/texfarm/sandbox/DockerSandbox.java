package org.texfarm.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.texfarm.config.PoolSettings;
import org.texfarm.config.ServiceConfig;
import org.texfarm.config.SandboxLimits;
import org.texfarm.config.ShellEscape;
import org.texfarm.sandbox.SandboxResult.Ending;

/**
 * Runs each job in its own hardened, labelled container, taken warm from a {@link SandboxPool}:
 * the project directory is renamed into the container's slot, one write to the slot's FIFO starts
 * the command, and the directory is renamed back when the command has ended. The container is
 * killed at the timeout, on a stop, or when the project outgrows its disk cap; it serves no other
 * compile and is removed in the background.
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

    private final Containers containers;
    private final SandboxPool pool;
    private final ScheduledExecutorService timer;
    private final ExecutorService background;
    /** Engine work that can wait for a quiet moment: removing used containers, starting spare ones. */
    private final QuietExecutor quiet;
    private final AtomicInteger running = new AtomicInteger();
    private volatile long lastEndedNanos = System.nanoTime() - SETTLE_TIME.toNanos();

    /**
     * @param slots        where sandbox slots live, as the service sees it
     * @param sandboxSlots the same directory as the Docker host sees it
     * @param maxTimeout   the longest timeout a job may have (pooled containers are made before the job is known)
     */
    public DockerSandbox(DockerClient docker, String instanceId, Path slots, Path sandboxSlots, Duration maxTimeout,
                         PoolSettings pool, ScheduledExecutorService timer, ExecutorService background, Clock clock,
                         MeterRegistry registry) {
        this.containers = new Containers(docker, instanceId, slots, sandboxSlots, ServiceConfig.currentUid() == 0);
        this.quiet = new QuietExecutor(background, this::busy, QUIET_MAX_DELAY, timer);
        this.pool = new SandboxPool(containers, maxTimeout, pool.size(), pool.minimum(), pool.idleAfter(), quiet,
                background, clock, registry);
        this.timer = timer;
        this.background = background;
        Gauge.builder("sandbox.active", running::get).description("sandboxes running a job").register(registry);
        timer.scheduleWithFixedDelay(this.pool::shrinkIfIdle, 30, 30, TimeUnit.SECONDS);
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
        WarmContainer container;
        try {
            container = pool.take(new SandboxPool.Key(job.image(), job.limits(), job.background()));
        } catch (SandboxUnavailableException | RuntimeException e) {
            running.decrementAndGet();
            throw e;
        }
        try {
            Files.move(job.workDir(), container.work(), StandardCopyOption.ATOMIC_MOVE);
            job.moved().accept(container.work());
            try {
                return runIn(container, job, stop, acquireStart);
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
            quiet.execute(() -> containers.discard(container));
        }
    }

    /** Whether a compile runs, or one ended so recently that its answer is still being made. */
    private boolean busy() {
        return running.get() > 0 || System.nanoTime() - lastEndedNanos < SETTLE_TIME.toNanos();
    }

    private SandboxResult runIn(WarmContainer container, SandboxJob job, StopSignal stop, long acquireStart)
            throws IOException, InterruptedException, SandboxUnavailableException {
        AtomicReference<Ending> forcedEnding = new AtomicReference<>();
        stop.onStop(() -> {
            forcedEnding.compareAndSet(null, Ending.STOPPED);
            containers.kill(container.id());
        });
        if (stop.isStopped()) {
            return SandboxResult.stoppedBeforeStart();
        }
        // Both FIFOs stay open until the command ends: the line waits in the pipe for a launcher
        // that has not opened it yet, and closing them wakes a reader that no end will come to.
        // The done FIFO gets a channel of its own for reading: a channel's reads and writes share
        // a lock, and the read blocks.
        try (FileChannel done = openFifo(container.done());
             FileChannel doneReader = FileChannel.open(container.done(), StandardOpenOption.READ);
             FileChannel trigger = openFifo(container.trigger())) {
            CompletableFuture<Report> reported = new CompletableFuture<>();
            // A platform thread: a virtual thread blocked reading a FIFO would hold its carrier.
            Thread.ofPlatform().daemon().name("sandbox-done-" + container.id().substring(0, 12))
                    .start(() -> readReport(doneReader, reported));
            try {
                String line = String.join("\0", Long.toString(job.limits().logBytes()), Long.toString(job.timeout().toMillis()),
                        job.linearizePdf() ? "1" : "0", String.join("\0", job.command())) + "\n";
                trigger.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                return await(container, job, forcedEnding, reported, acquireStart);
            } finally {
                if (!reported.isDone()) {
                    // No report came (the container was killed): an empty line ends the blocked read,
                    // which closing the channel would not.
                    done.write(ByteBuffer.wrap(new byte[] {'\n'}));
                    reported.exceptionally(failure -> null).join();
                }
            }
        }
    }

    private SandboxResult await(WarmContainer container, SandboxJob job, AtomicReference<Ending> forcedEnding,
                                CompletableFuture<Report> reported, long acquireStart)
            throws InterruptedException, SandboxUnavailableException, IOException {
        long started = System.nanoTime();
        background.execute(() -> containers.rename(container.id(), job.name()));
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            forcedEnding.compareAndSet(null, Ending.TIMED_OUT);
            containers.kill(container.id());
        }, job.timeout().toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> diskWatch = timer.scheduleWithFixedDelay(() -> {
            if (overDiskCap(container.work(), job.limits())) {
                forcedEnding.compareAndSet(null, Ending.DISK_FULL);
                containers.kill(container.id());
            }
        }, DISK_CHECK_INTERVAL.toMillis(), DISK_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        Report report;
        boolean launcherReported;
        try {
            CompletableFuture.anyOf(reported, container.exit()).exceptionally(failure -> null).get();
            launcherReported = reported.isDone() && !reported.isCompletedExceptionally();
            report = launcherReported ? reported.join() : new Report(container.exit().get(), PdfLinearization.NOT_RUN);
        } catch (ExecutionException e) {
            throw new SandboxUnavailableException("lost the sandbox while it ran: " + e.getCause().getMessage(), e.getCause());
        } finally {
            timeout.cancel(false);
            diskWatch.cancel(false);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (launcherReported && job.limits().shellEscape() == ShellEscape.FULL) {
            // The launcher ended every process it could signal before it reported; a command run by
            // full shell escape is not trusted to have let it: the whole container ends before the
            // project directory leaves it.
            containers.kill(container.id());
            awaitExit(container);
        }
        int exitCode = report.exitCode();
        Ending ending = forcedEnding.get();
        if (ending == null) {
            if (launcherReported) {
                ending = exitCode != 0 && childRanOutOfMemory(container) ? Ending.OUT_OF_MEMORY : Ending.EXITED;
            } else if (exitCode == STOPPED_BY_SIGTERM && engineGoesAway()) {
                // Stopped with no report, as the engine stops its containers on its way down.
                throw new SandboxUnavailableException("the Docker engine stopped during the compile", null);
            } else {
                ending = exitCode == KILLED_BY_SIGKILL && containers.outOfMemory(container.id())
                        ? Ending.OUT_OF_MEMORY : Ending.KILLED;
            }
        }
        return new SandboxResult(exitCode, ending, read(container.console(), job.limits().logBytes()),
                read(container.errors(), job.limits().logBytes()), ending == Ending.EXITED ? report.pdf() : PdfLinearization.NOT_RUN,
                Duration.ofNanos(started - acquireStart), elapsed);
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
     * Whether the kernel killed a process of the container for memory: TeX run by latexmk dies,
     * latexmk reports a failure. The engine knows once the container has exited, which it does
     * right after the launcher's report.
     */
    private boolean childRanOutOfMemory(WarmContainer container) throws InterruptedException {
        awaitExit(container);
        return containers.outOfMemory(container.id());
    }

    /** Waits a little for the container's exit, which follows the launcher's report. */
    private static void awaitExit(WarmContainer container) throws InterruptedException {
        try {
            container.exit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Inspect what the engine knows now.
        }
    }

    /** What the launcher reports when the command has ended. */
    private record Report(int exitCode, PdfLinearization pdf) {
    }

    /**
     * Reads the launcher's report from the {@code done} FIFO: a line with the command's exit code
     * and what became of the PDF.
     */
    private static void readReport(FileChannel done, CompletableFuture<Report> reported) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            while (buffer.hasRemaining() && done.read(buffer) > 0) {
                String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
                int newline = text.indexOf('\n');
                if (newline >= 0) {
                    String[] fields = text.substring(0, newline).trim().split(" ", 2);
                    reported.complete(new Report(Integer.parseInt(fields[0]),
                            PdfLinearization.reported(fields.length > 1 ? fields[1] : "")));
                    return;
                }
            }
            reported.completeExceptionally(new IOException("the launcher reported no exit code"));
        } catch (IOException | NumberFormatException e) {
            // Closed because the command ended without a report (killed, timed out), or garbled.
            reported.completeExceptionally(e);
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

    /** Opens a slot FIFO read-write, which never blocks, whether or not the other side has it open. */
    private static FileChannel openFifo(Path fifo) throws IOException {
        return FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
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
