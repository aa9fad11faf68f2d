package org.texfarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.texfarm.sandbox.ContainerLabels;
import org.texfarm.sandbox.DockerEngine;

/** Looks at the sandbox containers of a running service through the real Docker engine. */
final class SandboxContainers implements AutoCloseable {
    private final DockerClient docker = DockerEngine.connect("unix:///var/run/docker.sock", 4);
    private final String instanceId;

    SandboxContainers(RunningService service) {
        this(service.instanceId());
    }

    SandboxContainers(String instanceId) {
        this.instanceId = instanceId;
    }

    DockerClient docker() {
        return docker;
    }

    /** Every container of the instance, running or not. */
    List<Container> all() {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(ContainerLabels.INSTANCE, instanceId)).exec();
    }

    /** Removes every container of the instance. */
    void removeAll() {
        all().forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
    }

    /** The containers, running or not, named after the project: those that compile or compiled it. */
    List<Container> forProject(String project) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerLabels.INSTANCE, instanceId))
                .withNameFilter(List.of("texfarm-" + instanceId + "-" + project + "-[0-9a-f]+$"))
                .exec();
    }

    /** Waits until a container compiling the project runs, and returns it. */
    Container awaitRunning(String project, Duration timeout) throws InterruptedException {
        return awaitPresent(timeout, Duration.ofMillis(50),
                () -> forProject(project).stream().filter(c -> "running".equals(c.getState())).findFirst())
                .orElseThrow(() -> new AssertionError("no running container for project " + project + " within " + timeout));
    }

    /**
     * Waits until every container left of the project is one kept for its next compile, reset: it
     * runs, with only init and the launcher, and nothing in /tmp but the font caches. Returns
     * whether that came to be (a discarded container is gone).
     */
    boolean awaitDiscardedOrReset(String project, Duration timeout) throws InterruptedException {
        // Each look runs a command in the kept container: a slower pace than the other waits.
        return becomesTrue(timeout, Duration.ofMillis(100), () -> forProject(project).stream().allMatch(this::isReset));
    }

    private boolean isReset(Container container) {
        if (!"running".equals(container.getState())) {
            return false;
        }
        String[][] processes = docker.topContainerCmd(container.getId()).exec().getProcesses();
        return processes.length == 2 && exec(container.getId(), "find", "/tmp", "-mindepth", "1",
                "!", "-path", "/tmp/texmf-var", "!", "-path", "/tmp/texmf-var/luatex-cache*",
                "!", "-path", "/tmp/.cache", "!", "-path", "/tmp/.cache/fontconfig*").isEmpty();
    }

    /**
     * Waits until a process of the container has a command line that contains {@code running},
     * and returns the command lines of all its processes then, as the host's ps shows them.
     */
    List<String> awaitCommandLines(Container container, String running, Duration timeout) throws InterruptedException {
        return awaitPresent(timeout, Duration.ofMillis(50), () -> {
            String[][] processes = docker.topContainerCmd(container.getId()).withPsArgs("-o pid,args").exec().getProcesses();
            List<String> commandLines = Arrays.stream(processes).map(process -> process[1]).toList();
            return commandLines.stream().anyMatch(line -> line.contains(running)) ? Optional.of(commandLines) : Optional.empty();
        }).orElseThrow(() -> new AssertionError("no process of " + container.getId() + " runs " + running + " within " + timeout));
    }

    /** Runs a command in a running container, as its user, and returns its output. */
    private String exec(String containerId, String... command) {
        String exec = docker.execCreateCmd(containerId).withCmd(command).withAttachStdout(true).withAttachStderr(true)
                .exec().getId();
        StringBuilder output = new StringBuilder();
        try {
            docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return output.toString();
    }

    /** Waits until no container of the project is left; returns whether none is. */
    boolean awaitNoneLeft(String project, Duration timeout) throws InterruptedException {
        return becomesTrue(timeout, Duration.ofMillis(50), () -> forProject(project).isEmpty());
    }

    /** Looks every {@code pace} until {@code condition} holds; returns whether it did within {@code timeout}. */
    private static boolean becomesTrue(Duration timeout, Duration pace, BooleanSupplier condition) throws InterruptedException {
        return awaitPresent(timeout, pace, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty()).isPresent();
    }

    /** Looks every {@code pace} until {@code look} finds something; returns it, or nothing if {@code timeout} passed first. */
    private static <T> Optional<T> awaitPresent(Duration timeout, Duration pace, Supplier<Optional<T>> look)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = look.get();
            if (found.isPresent()) {
                return found;
            }
            Thread.sleep(pace.toMillis());
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        docker.close();
    }
}
