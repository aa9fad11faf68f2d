package org.texfarm.sync;

/** A resource could not be downloaded; the compile goes on without it. */
public final class DownloadFailedException extends Exception {
    public DownloadFailedException(String message) {
        super(message);
    }

    public DownloadFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
