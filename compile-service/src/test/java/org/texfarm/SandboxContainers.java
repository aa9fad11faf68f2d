package org.texfarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
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
        this.instanceId = service.instanceId();
    }

    DockerClient docker() {
        return docker;
    }

    /** Every container of the service, running or not. */
    List<Container> all() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerLabels.INSTANCE, instanceId)).exec();
    }

    /** Waits until a container of the project runs, and returns it. */
    Container awaitRunning(String project, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Container> running = docker.listContainersCmd()
                    .withLabelFilter(Map.of(ContainerLabels.INSTANCE, instanceId, ContainerLabels.PROJECT, project))
                    .exec();
            if (!running.isEmpty()) {
                return running.getFirst();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no running container for project " + project + " within " + timeout);
    }

    @Override
    public void close() throws Exception {
        docker.close();
    }
}
