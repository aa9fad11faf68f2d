package org.texfarm.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.texfarm.MutableClock;

class ContentStoreTest {
    @TempDir
    Path temp;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));

    private ContentStore open(boolean hardLinks) throws Exception {
        return ContentStore.open(temp.resolve("store"), hardLinks, clock, registry);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void storesContentOnceUnderItsHash() throws Exception {
        ContentStore store = open(true);

        Sha256 first = store.put(bytes("hello"));
        Sha256 second = store.put(bytes("hello"));

        assertThat(first).isEqualTo(second).isEqualTo(Sha256.of(bytes("hello")));
        assertThat(first.hex()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(store.size(first)).isEqualTo(5);
        assertThat(registry.counter("store.misses").count()).isEqualTo(1);
        assertThat(registry.counter("store.hits").count()).isEqualTo(1);
        assertThat(registry.counter("store.bytes.saved").count()).isEqualTo(5);
        Path blob = temp.resolve("store/blobs/2c/" + first.hex());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob))).isEqualTo("r--r--r--");
    }

    @Test
    void storesNothingWhenStreamedContentDoesNotMatchItsHash() throws Exception {
        ContentStore store = open(true);
        Sha256 claimed = Sha256.of(bytes("claimed"));

        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(bytes("other")), 100, claimed))
                .isInstanceOf(ContentStore.ContentMismatchException.class);

        assertThat(store.contains(claimed)).isFalse();
        assertThat(store.contains(Sha256.of(bytes("other")))).isFalse();
        assertThat(temp.resolve("store/tmp")).isEmptyDirectory();
    }

    @Test
    void storesNothingPastTheSizeLimit() throws Exception {
        ContentStore store = open(true);

        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(new byte[1000]), 999, null))
                .isInstanceOf(ContentStore.ContentTooLargeException.class);

        assertThat(store.contains(Sha256.of(new byte[1000]))).isFalse();
        assertThat(temp.resolve("store/tmp")).isEmptyDirectory();
    }

    @Test
    void neverServesWhatACrashLeftBetweenTempFileAndRename() throws Exception {
        ContentStore store = open(true);
        Sha256 hash = Sha256.of(bytes("complete content"));
        // A crash mid-write leaves a partial temp file, never a blob under the hash.
        Files.writeString(temp.resolve("store/tmp/blob-123.tmp"), "complete con");

        ContentStore reopened = open(true);

        assertThat(temp.resolve("store/tmp")).isEmptyDirectory();
        assertThat(reopened.contains(hash)).isFalse();
        assertThat(reopened.put(bytes("complete content"))).isEqualTo(hash);
        assertThat(store.contains(hash)).isTrue();
    }

    @Test
    void linksReadOnlyFilesWhenLinksAreSafe() throws Exception {
        ContentStore store = open(true);
        Sha256 hash = store.put(bytes("shared"));
        Path target = Files.createDirectories(temp.resolve("project")).resolve("output.fmt");

        store.link(hash, target);

        assertThat(target).hasContent("shared");
        assertThat(Files.getAttribute(target, "unix:nlink")).isEqualTo(2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("r--r--r--");
    }

    @Test
    void linksByCopyWhenLinksAreNotSafe() throws Exception {
        ContentStore store = open(false);
        Sha256 hash = store.put(bytes("copied"));
        Path target = Files.createDirectories(temp.resolve("project")).resolve("output.fmt");

        store.link(hash, target);

        assertThat(target).hasContent("copied");
        assertThat(Files.getAttribute(target, "unix:nlink")).isEqualTo(1);
    }

    @Test
    void copiesResourcesAsWritableFilesThatNeverWriteThroughToTheBlob() throws Exception {
        ContentStore store = open(true);
        Sha256 hash = store.put(bytes("copied"));
        Path target = Files.createDirectories(temp.resolve("project")).resolve("a.tex");

        PlacedFile placed = store.copy(hash, target, new Ownership(0, 0, false));

        assertThat(Files.getAttribute(target, "unix:nlink")).isEqualTo(1);
        assertThat(placed.isIntact(hash, PlacedFile.Identity.of(target))).isTrue();
        Files.writeString(target, "change");
        assertThat(placed.isIntact(hash, PlacedFile.Identity.of(target))).isFalse();
        assertThat(temp.resolve("store/blobs/" + hash.hex().substring(0, 2) + "/" + hash.hex())).hasContent("copied");
    }

    @Test
    void seesAResourceReplacedByAnotherFileOfTheSameSizeAndTime() throws Exception {
        ContentStore store = open(true);
        Sha256 hash = store.put(bytes("original"));
        Path target = Files.createDirectories(temp.resolve("project")).resolve("a.tex");
        PlacedFile placed = store.copy(hash, target, new Ownership(0, 0, false));
        FileTime modified = Files.getLastModifiedTime(target);

        Path forged = Files.writeString(temp.resolve("project/forged"), "0riginal");
        Files.setLastModifiedTime(forged, modified);
        Files.move(forged, target, StandardCopyOption.REPLACE_EXISTING);

        assertThat(placed.isIntact(hash, PlacedFile.Identity.of(target))).isFalse();
    }

    @Test
    void replacesALinkAtTheTargetInsteadOfWritingThroughIt() throws Exception {
        ContentStore store = open(true);
        Sha256 hash = store.put(bytes("content"));
        Path victim = Files.writeString(temp.resolve("victim"), "precious");
        Path target = Files.createDirectories(temp.resolve("project")).resolve("a.tex");
        Files.createSymbolicLink(target, victim);

        store.copy(hash, target, new Ownership(0, 0, false));

        assertThat(Files.isSymbolicLink(target)).isFalse();
        assertThat(victim).hasContent("precious");
    }

    @Test
    void collectsOnlyUnreferencedBlobsOlderThanTheGracePeriod() throws Exception {
        ContentStore store = open(true);
        Sha256 live = store.put(bytes("live"));
        Sha256 dead = store.put(bytes("dead"));

        clock.advance(java.time.Duration.ofMinutes(30));

        assertThat(store.collect(h -> h.equals(live), clock.instant().minusSeconds(3600))).isZero();
        assertThat(store.collect(h -> h.equals(live), clock.instant().minusSeconds(600))).isEqualTo(1);

        assertThat(store.contains(live)).isTrue();
        assertThat(store.contains(dead)).isFalse();
        assertThat(Files.exists(temp.resolve("store/blobs/" + dead.hex().substring(0, 2) + "/" + dead.hex()),
                LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
