package org.texfarm.output;

/**
 * One file of a build.
 *
 * @param path  relative path inside the build, e.g. {@code output.pdf}
 * @param type  the file's extension ({@code pdf}, {@code log}...), empty when it has none
 * @param build the build id
 * @param size  bytes
 */
public record OutputFile(String path, String type, String build, long size) {
}
