package org.texfarm.synctex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.texfarm.NotFoundException;
import org.texfarm.ProjectKey;
import org.texfarm.output.BuildStore;
import org.texfarm.sync.ResourcePath;
import org.texfarm.sync.SafeFiles;

/** Which build a query reads, what it answers when there is none, and reading ahead for projects that use SyncTeX. */
class SyncTexLookupTest {
    private static final ProjectKey PROJECT = ProjectKey.of("synctex", null);
    private static final ResourcePath MAIN = ResourcePath.parse("main.tex", 64, 1);
    private static final String OLDER = "18c2f3a4b5c-0000000000000001";
    private static final String NEWER = "18c2f3a4b5d-0000000000000002";

    @TempDir
    Path root;
    private SyncTexLookup lookup;

    @BeforeEach
    void create() {
        lookup = new SyncTexLookup(new BuildStore(root, 3, Runnable::run), "/slot/work", 1 << 20, new SimpleMeterRegistry());
    }

    /** A build of the project with the example SyncTeX file, compressed as TeX writes it, its boxes moved down by {@code shift} sp. */
    private Path build(String buildId, int shift) throws IOException {
        Path build = Files.createDirectories(root.resolve(PROJECT.relativeDirectory()).resolve(buildId));
        String content = SyncTexTest.FILE.replace("10000000", Integer.toString(10_000_000 + shift));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(build.resolve("output.synctex.gz")))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return build;
    }

    @Test
    void readsTheLatestBuildUnlessOneIsNamed() throws IOException {
        build(OLDER, 0);
        build(NEWER, 1_000_000);

        double older = lookup.boxesFor(PROJECT, OLDER, MAIN, 5).getFirst().v();
        double latest = lookup.boxesFor(PROJECT, null, MAIN, 5).getFirst().v();

        assertThat(latest).isEqualTo(lookup.boxesFor(PROJECT, NEWER, MAIN, 5).getFirst().v()).isGreaterThan(older);
    }

    @Test
    void saysWhatIsMissing() throws IOException {
        assertThatThrownBy(() -> lookup.boxesFor(PROJECT, null, MAIN, 5))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no build");
        Files.createDirectories(root.resolve(PROJECT.relativeDirectory()).resolve(OLDER));
        assertThatThrownBy(() -> lookup.sourceAt(PROJECT, OLDER, 1, 100, 100))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("has no SyncTeX data");
    }

    @Test
    void answersNoMoreForABuildDeletedAfterItWasRead() throws IOException {
        Path build = build(OLDER, 0);
        assertThat(lookup.boxesFor(PROJECT, OLDER, MAIN, 5)).isNotEmpty();

        SafeFiles.deleteRecursively(build);

        assertThatThrownBy(() -> lookup.boxesFor(PROJECT, OLDER, MAIN, 5))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no build " + OLDER);
    }

    @Test
    void readsNewBuildsAheadOnlyForProjectsThatUseSyncTex() throws IOException {
        build(OLDER, 0);
        lookup.prefetch(PROJECT, OLDER);
        assertThat(lookup.isRead(PROJECT, OLDER)).as("read ahead before any query").isFalse();

        lookup.boxesFor(PROJECT, OLDER, MAIN, 5);
        build(NEWER, 0);
        lookup.prefetch(PROJECT, NEWER);

        assertThat(lookup.isRead(PROJECT, NEWER)).isTrue();
        lookup.prefetch(PROJECT, "18c2f3a4b5e-0000000000000003");
    }
}
