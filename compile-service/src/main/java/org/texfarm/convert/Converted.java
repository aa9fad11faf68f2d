package org.texfarm.convert;

import java.io.IOException;
import java.nio.file.Path;
import org.texfarm.sync.SafeFiles;

/**
 * A conversion's result, to send once and delete: the file, in the conversion's own directory.
 *
 * @param file      the converted document
 * @param name      the name a client saves it under
 * @param directory the conversion's directory, deleted by {@link #close()}
 */
public record Converted(Path file, String name, Path directory) implements AutoCloseable {
    @Override
    public void close() throws IOException {
        SafeFiles.deleteRecursively(directory);
    }
}
