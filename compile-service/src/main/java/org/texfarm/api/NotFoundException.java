package org.texfarm.api;

/** What a request names does not exist (HTTP 404). */
final class NotFoundException extends RuntimeException {
    NotFoundException(String message) {
        super(message);
    }
}
