package org.texfarm;

/** A request the service refuses as malformed (HTTP 400); the message says what is wrong. */
public class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
