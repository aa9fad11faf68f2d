package org.texfarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Container> running = forProject(project).stream().filter(c -> "running".equals(c.getState())).toList();
            if (!running.isEmpty()) {
                return running.getFirst();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no running container for project " + project + " within " + timeout);
    }

    /** Waits until no container of the project is left; returns whether none is. */
    boolean awaitNoneLeft(String project, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (forProject(project).isEmpty()) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        docker.close();
    }
}
