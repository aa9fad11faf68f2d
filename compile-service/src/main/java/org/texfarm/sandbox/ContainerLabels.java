package org.texfarm.sandbox;

import java.util.Map;

/** The labels that mark a container as ours: the service, the instance that started it, the project. */
public final class ContainerLabels {
    public static final String SERVICE = "org.texfarm.service";
    public static final String INSTANCE = "org.texfarm.instance";
    public static final String PROJECT = "org.texfarm.project";
    public static final String SERVICE_NAME = "compile-service";

    private ContainerLabels() {
    }

    static Map<String, String> of(String instanceId, String project) {
        return Map.of(SERVICE, SERVICE_NAME, INSTANCE, instanceId, PROJECT, project);
    }
}
