package org.texfarm.sandbox;

/** The Docker engine cannot run a sandbox now (down, unreachable, image gone); try again later. */
public final class SandboxUnavailableException extends Exception {
    public SandboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
