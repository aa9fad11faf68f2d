package org.texfarm.compile;

import java.time.Duration;

/** Every compile slot and queue place is taken (HTTP 503 with Retry-After). */
public final class ServiceBusyException extends RuntimeException {
    private final Duration retryAfter;

    public ServiceBusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
