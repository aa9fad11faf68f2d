package org.texfarm.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.config.SandboxLimits;
import org.texfarm.sandbox.SandboxResult.Ending;

/**
 * Runs each job in a fresh, hardened, labelled container: no network, no capabilities, no new
 * privileges, read-only root with a private /tmp, memory (swap included), CPU, process, file-size
 * and open-file limits, capped logs, and a watchdog on the project directory's size. The container
 * is killed at the timeout or on a stop, and always removed.
 */
public final class DockerSandbox {
    private static final Logger log = LoggerFactory.getLogger(DockerSandbox.class);
    private static final Duration DISK_CHECK_INTERVAL = Duration.ofMillis(250);
    /** RLIMIT_CPU beyond the wall-clock timeout, as CLSI sets it: a backstop if the kill fails. */
    private static final long CPU_SECONDS_SLACK = 5;

    private final DockerClient docker;
    private final String instanceId;
    private final Path dataDir;
    private final Path sandboxDataDir;
    private final ScheduledExecutorService timer;

    /**
     * @param dataDir        the service's data directory, which holds every job's work directory
     * @param sandboxDataDir the same directory as the Docker host sees it
     */
    public DockerSandbox(DockerClient docker, String instanceId, Path dataDir, Path sandboxDataDir,
                         ScheduledExecutorService timer) {
        this.docker = docker;
        this.instanceId = instanceId;
        this.dataDir = dataDir;
        this.sandboxDataDir = sandboxDataDir;
        this.timer = timer;
    }

    public SandboxResult run(SandboxJob job, StopSignal stop) throws SandboxUnavailableException, InterruptedException {
        String containerId = create(job);
        try {
            AtomicReference<Ending> forcedEnding = new AtomicReference<>();
            Runnable killWith = () -> kill(containerId);
            stop.onStop(() -> {
                forcedEnding.compareAndSet(null, Ending.STOPPED);
                killWith.run();
            });
            if (stop.isStopped()) {
                return new SandboxResult(-1, Ending.STOPPED, "", Duration.ZERO);
            }
            long started = System.nanoTime();
            docker.startContainerCmd(containerId).exec();
            ScheduledFuture<?> timeout = timer.schedule(() -> {
                forcedEnding.compareAndSet(null, Ending.TIMED_OUT);
                killWith.run();
            }, job.timeout().toMillis(), TimeUnit.MILLISECONDS);
            ScheduledFuture<?> diskWatch = timer.scheduleWithFixedDelay(() -> {
                if (overDiskCap(job.workDir(), job.limits())) {
                    forcedEnding.compareAndSet(null, Ending.DISK_FULL);
                    killWith.run();
                }
            }, DISK_CHECK_INTERVAL.toMillis(), DISK_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            int exitCode;
            try {
                exitCode = docker.waitContainerCmd(containerId).start().awaitStatusCode();
            } finally {
                timeout.cancel(false);
                diskWatch.cancel(false);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
            Ending ending = forcedEnding.get();
            if (ending == null) {
                ending = Boolean.TRUE.equals(state.getOOMKilled()) ? Ending.OUT_OF_MEMORY
                        : exitCode == 137 ? Ending.KILLED : Ending.EXITED;
            }
            return new SandboxResult(exitCode, ending, logs(containerId, job.limits().logBytes()), elapsed);
        } catch (DockerException | com.github.dockerjava.api.exception.DockerClientException e) {
            throw new SandboxUnavailableException("the Docker engine failed while running the compile: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (isEngineUnreachable(e)) {
                throw new SandboxUnavailableException("the Docker engine is unreachable: " + e.getMessage(), e);
            }
            throw e;
        } finally {
            remove(containerId);
        }
    }

    private String create(SandboxJob job) throws SandboxUnavailableException {
        SandboxLimits limits = job.limits();
        Path hostWorkDir = sandboxDataDir.resolve(dataDir.relativize(job.workDir()));
        long cpuSeconds = job.timeout().toSeconds() + CPU_SECONDS_SLACK;
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("none")
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,noexec,size=" + limits.tmpBytes()))
                .withMemory(limits.memoryBytes())
                .withMemorySwap(limits.memoryBytes())
                .withNanoCPUs(limits.nanoCpus())
                .withPidsLimit(limits.pids())
                .withUlimits(List.of(
                        new Ulimit("fsize", limits.fileSizeBytes(), limits.fileSizeBytes()),
                        new Ulimit("nofile", limits.openFiles(), limits.openFiles()),
                        new Ulimit("core", 0L, 0L),
                        new Ulimit("cpu", cpuSeconds, cpuSeconds)))
                .withInit(true)
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE,
                        Map.of("max-size", Long.toString(limits.logBytes()), "max-file", "1")))
                .withBinds(new Bind(hostWorkDir.toString(), new Volume("/compile")));
        List<String> env = new ArrayList<>(List.of("HOME=/tmp", "openin_any=p", "openout_any=p"));
        env.add("shell_escape=" + (limits.shellEscape() ? "t" : "f"));
        try (CreateContainerCmd cmd = docker.createContainerCmd(job.image())) {
            return cmd.withName(containerName(job.name()))
                    .withUser(limits.uid() + ":" + limits.gid())
                    .withWorkingDir("/compile")
                    .withCmd(job.command())
                    .withEnv(env)
                    .withLabels(ContainerLabels.of(instanceId, job.name()))
                    .withNetworkDisabled(true)
                    .withAttachStdin(false)
                    .withStdinOpen(false)
                    .withTty(false)
                    .withHostConfig(host)
                    .exec()
                    .getId();
        } catch (NotFoundException e) {
            throw new SandboxUnavailableException("image " + job.image() + " is not present: build it with sandbox-images/build", e);
        } catch (RuntimeException e) {
            throw new SandboxUnavailableException("cannot create a sandbox container: " + e.getMessage(), e);
        }
    }

    private String containerName(String jobName) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        String safe = jobName.replaceAll("[^a-zA-Z0-9_.-]", "_");
        return "texfarm-" + instanceId + "-" + (safe.length() > 60 ? safe.substring(0, 60) : safe) + "-"
                + HexFormat.of().formatHex(random);
    }

    private void kill(String containerId) {
        try {
            docker.killContainerCmd(containerId).exec();
        } catch (RuntimeException e) {
            // Already gone or stopping: the wait returns either way.
            log.debug("kill of {} failed: {}", containerId, e.getMessage());
        }
    }

    private void remove(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Removed already.
        } catch (RuntimeException e) {
            log.warn("cannot remove container {}: {}; it is removed at the next start", containerId, e.getMessage());
        }
    }

    private String logs(String containerId, long cap) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        try (ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                if (out.length() < cap) {
                    String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
                    out.append(text, 0, (int) Math.min(text.length(), cap - out.length()));
                }
            }
        }) {
            docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).exec(callback).awaitCompletion();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
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

    /** Removes every container a previous run of this instance left behind; returns how many. */
    public int removeLeftovers() {
        List<Container> leftovers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerLabels.SERVICE, ContainerLabels.SERVICE_NAME,
                        ContainerLabels.INSTANCE, instanceId))
                .exec();
        leftovers.forEach(c -> remove(c.getId()));
        return leftovers.size();
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
