package org.texfarm;

/** What a request names does not exist (HTTP 404). */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
