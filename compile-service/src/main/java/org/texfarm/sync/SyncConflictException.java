package org.texfarm.sync;

/**
 * The request cannot be applied to the project as the service has it (HTTP 409, status
 * {@code conflict}): the client should send a full sync, or upload the content it refers to.
 */
public final class SyncConflictException extends Exception {
    public SyncConflictException(String message) {
        super(message);
    }
}
