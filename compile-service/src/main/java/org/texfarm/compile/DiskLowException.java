package org.texfarm.compile;

/** The data directory's disk is almost full: compiles are refused until space returns (HTTP 503). */
public final class DiskLowException extends RuntimeException {
    public DiskLowException(long freeBytes, long minimumBytes) {
        super("the server's disk is almost full (" + (freeBytes >> 20) + " MiB free, " + (minimumBytes >> 20)
                + " MiB needed): compiles resume when space returns");
    }
}
