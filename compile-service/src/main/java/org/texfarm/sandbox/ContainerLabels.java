package org.texfarm.sandbox;

/**
 * The labels that mark a container as ours: the service, and the instance that started it (which
 * removes its own leftovers at start-up). A container's name says which project it compiles.
 */
public final class ContainerLabels {
    public static final String SERVICE = "org.texfarm.service";
    public static final String INSTANCE = "org.texfarm.instance";
    public static final String SERVICE_NAME = "compile-service";

    private ContainerLabels() {
    }
}
