package org.texfarm.sync;

/** A resource could not be downloaded; the compile goes on without it. */
public final class DownloadFailedException extends Exception {
    private final boolean retryable;
    private final boolean notFound;

    private DownloadFailedException(String message, boolean retryable, boolean notFound) {
        super(message);
        this.retryable = retryable;
        this.notFound = notFound;
    }

    /** A failure that will not pass by trying again (refused host, 4xx, too large). */
    static DownloadFailedException permanent(String message) {
        return new DownloadFailedException(message, false, false);
    }

    /** A failure that may pass (connection error, timeout, 5xx). */
    static DownloadFailedException transientFailure(String message) {
        return new DownloadFailedException(message, true, false);
    }

    /** The server answered 404: a fallback URL may have the file. */
    static DownloadFailedException notFound(String message) {
        return new DownloadFailedException(message, false, true);
    }

    boolean retryable() {
        return retryable;
    }

    boolean notFound() {
        return notFound;
    }
}
