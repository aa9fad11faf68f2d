package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.texfarm.sync.Sha256;

/** Checks a data directory's content store from outside the service. */
final class StoredContent {
    private StoredContent() {
    }

    /** No temp file is left in the store, and every blob hashes to its name. */
    static void assertEveryBlobIsWhole(Path dataDir) throws IOException {
        Path store = dataDir.resolve("store");
        try (Stream<Path> temp = Files.list(store.resolve("tmp"))) {
            assertThat(temp.toList()).as("temp files in the store").isEmpty();
        }
        List<Path> blobs;
        try (Stream<Path> walk = Files.walk(store.resolve("blobs"))) {
            blobs = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(blobs).isNotEmpty().allSatisfy(blob ->
                assertThat(Sha256.of(Files.readAllBytes(blob)).hex()).isEqualTo(blob.getFileName().toString()));
    }
}
