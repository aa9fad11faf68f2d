package org.texfarm.convert;

/**
 * The converter could not convert the input it was given (HTTP 422): its own message, as CLSI
 * passes pandoc's standard error on, and its exit code.
 */
public final class ConversionFailedException extends RuntimeException {
    private final int exitCode;

    public ConversionFailedException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
