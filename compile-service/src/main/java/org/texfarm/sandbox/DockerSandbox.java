package org.texfarm.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.texfarm.config.PoolSettings;
import org.texfarm.config.ServiceConfig;
import org.texfarm.config.SandboxLimits;
import org.texfarm.sandbox.SandboxResult.Ending;

/**
 * Runs each job in its own hardened, labelled container, taken warm from a {@link SandboxPool}:
 * the project directory is renamed into the container's slot, one write to the slot's FIFO starts
 * the command, and the directory is renamed back when the command has ended. The container is
 * killed at the timeout, on a stop, or when the project outgrows its disk cap; it serves no other
 * compile and is removed in the background.
 *
 * <p>Container settings: no network, no capabilities, no new privileges, a non-root user, a
 * read-only root with a private /tmp, memory (swap included), CPU, process, file-size and
 * open-file limits, capped logs, only the slot mounted.
 */
public final class DockerSandbox implements AutoCloseable {
    private static final Duration DISK_CHECK_INTERVAL = Duration.ofMillis(250);
    private static final Duration QUIET_MAX_DELAY = Duration.ofSeconds(2);

    private final Containers containers;
    private final SandboxPool pool;
    private final ScheduledExecutorService timer;
    private final ExecutorService background;
    /** Engine work that can wait for a quiet moment: removing used containers, starting spare ones. */
    private final QuietExecutor quiet;
    private final AtomicInteger running = new AtomicInteger();

    /**
     * @param slots        where sandbox slots live, as the service sees it
     * @param sandboxSlots the same directory as the Docker host sees it
     * @param maxTimeout   the longest timeout a job may have (pooled containers are made before the job is known)
     */
    public DockerSandbox(DockerClient docker, String instanceId, Path slots, Path sandboxSlots, Duration maxTimeout,
                         PoolSettings pool, ScheduledExecutorService timer, ExecutorService background, Clock clock,
                         MeterRegistry registry) {
        this.containers = new Containers(docker, instanceId, slots, sandboxSlots, ServiceConfig.currentUid() == 0);
        this.quiet = new QuietExecutor(background, () -> running.get() > 0, QUIET_MAX_DELAY, timer);
        this.pool = new SandboxPool(containers, maxTimeout, pool.size(), pool.minimum(), pool.idleAfter(), quiet,
                clock, registry);
        this.timer = timer;
        this.background = background;
        timer.scheduleWithFixedDelay(this.pool::shrinkIfIdle, 30, 30, TimeUnit.SECONDS);
    }

    /** Removes what an earlier run of this instance left (containers, slots); returns how many containers. */
    public int removeLeftovers() throws IOException {
        return containers.removeLeftovers();
    }

    /** Starts the pool's containers for this image and these limits, in the background. */
    public void prewarm(String image, SandboxLimits limits, int count) {
        pool.refill(new SandboxPool.Key(image, limits), count);
    }

    public SandboxResult run(SandboxJob job, StopSignal stop) throws SandboxUnavailableException, InterruptedException, IOException {
        long acquireStart = System.nanoTime();
        if (stop.isStopped()) {
            return new SandboxResult(-1, Ending.STOPPED, "", Duration.ZERO, Duration.ZERO);
        }
        running.incrementAndGet();
        WarmContainer container;
        try {
            container = pool.take(new SandboxPool.Key(job.image(), job.limits()));
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
            running.decrementAndGet();
            quiet.execute(() -> containers.discard(container));
        }
    }

    private SandboxResult runIn(WarmContainer container, SandboxJob job, StopSignal stop, long acquireStart)
            throws IOException, InterruptedException, SandboxUnavailableException {
        AtomicReference<Ending> forcedEnding = new AtomicReference<>();
        stop.onStop(() -> {
            forcedEnding.compareAndSet(null, Ending.STOPPED);
            containers.kill(container.id());
        });
        if (stop.isStopped()) {
            return new SandboxResult(-1, Ending.STOPPED, "", Duration.ZERO, Duration.ZERO);
        }
        try (FileChannel trigger = trigger(container, job)) {
            return await(container, job, forcedEnding, acquireStart);
        }
    }

    private SandboxResult await(WarmContainer container, SandboxJob job, AtomicReference<Ending> forcedEnding,
                                long acquireStart) throws InterruptedException, SandboxUnavailableException {
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
        int exitCode;
        try {
            exitCode = container.exit().get();
        } catch (ExecutionException e) {
            throw new SandboxUnavailableException("lost the sandbox while it ran: " + e.getCause().getMessage(), e.getCause());
        } finally {
            timeout.cancel(false);
            diskWatch.cancel(false);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Ending ending = forcedEnding.get();
        if (ending == null) {
            ending = exitCode != 137 ? Ending.EXITED
                    : containers.outOfMemory(container.id()) ? Ending.OUT_OF_MEMORY : Ending.KILLED;
        }
        return new SandboxResult(exitCode, ending, containers.logs(container.id(), job.limits().logBytes()),
                Duration.ofNanos(started - acquireStart), elapsed);
    }

    /**
     * Hands the command to the container's launcher: one NUL-separated line on its FIFO. The FIFO
     * is opened read-write, so the open never blocks; the caller keeps it open until the command
     * ends, so the line waits in the pipe for a launcher that has not opened it yet.
     */
    private static FileChannel trigger(WarmContainer container, SandboxJob job) throws IOException {
        String line = String.join("\0", job.command()) + "\n";
        FileChannel fifo = FileChannel.open(container.trigger(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            fifo.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            fifo.close();
            throw e;
        }
        return fifo;
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

    @Override
    public void close() {
        pool.close();
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
