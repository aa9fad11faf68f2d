package org.texfarm.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Connects to the Docker engine and checks, before the service opens its port, that it can compile. */
public final class DockerEngine {
    private DockerEngine() {
    }

    public static DockerClient connect(String dockerHost, int maxConnections) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(maxConnections)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /**
     * Fails with a message that says what to do when the engine does not answer, lacks a runtime
     * or an image; otherwise describes each image, in the order given.
     */
    /** Whether the engine has the image. */
    public static boolean hasImage(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    public static List<ImageDescription> checkReady(DockerClient docker, String dockerHost, Collection<String> images,
                                                    Collection<String> runtimes) {
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new IllegalStateException("no Docker engine answers at " + dockerHost + " (" + e.getMessage()
                    + "): start one (sandbox-images/docker-engine does it on Debian) or set DOCKER_HOST", e);
        }
        Set<String> registered = Optional.ofNullable(docker.infoCmd().exec().getRuntimes())
                .map(Map::keySet).orElse(Set.of());
        for (String runtime : runtimes) {
            if (!registered.contains(runtime)) {
                throw new IllegalStateException("the Docker engine at " + dockerHost + " has no runtime '" + runtime
                        + "' (SANDBOX_RUNTIME, or a compile group's runtime); it has "
                        + String.join(", ", new TreeSet<>(registered))
                        + (runtime.equals("runsc") ? ". Register gVisor with sandbox-images/docker-engine --with-runsc" : ""));
            }
        }
        List<ImageDescription> descriptions = new ArrayList<>();
        for (String image : images) {
            try {
                InspectImageResponse inspected = docker.inspectImageCmd(image).exec();
                descriptions.add(ImageDescription.fromLabels(image,
                        inspected.getConfig() == null ? null : inspected.getConfig().getLabels()));
            } catch (NotFoundException e) {
                throw new IllegalStateException("the TeX Live image " + image + " is not present: build it with"
                        + " TEXLIVE_IMAGE=" + image + " sandbox-images/build, or stop allowing it (TEXLIVE_IMAGE,"
                        + " ALLOWED_IMAGES, compile groups' images)", e);
            }
        }
        return List.copyOf(descriptions);
    }
}
