package org.texfarm.sync;

/** A resource that could not be fetched; the compile went on without it. */
public record ResourceError(String path, String url, String error) {
}
