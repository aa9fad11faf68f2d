package org.texfarm.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.texfarm.compile.Resource;
import org.texfarm.config.DownloadPolicy;

class ProjectSyncTest {
    @TempDir
    Path temp;
    private Path project;
    private Path outside;
    private ScheduledExecutorService timer;
    private ProjectSync sync;

    @BeforeEach
    void setUp() throws Exception {
        project = temp.resolve("project");
        outside = Files.createDirectory(temp.resolve("outside"));
        timer = Executors.newSingleThreadScheduledExecutor();
        UrlFetcher fetcher = new UrlFetcher(new DownloadPolicy(List.of(), Duration.ofSeconds(1), Duration.ofSeconds(1), 1024, 0), timer);
        sync = new ProjectSync(fetcher, new Ownership(0, 0, false));
        sync.prepare(project);
    }

    @AfterEach
    void tearDown() {
        timer.shutdownNow();
    }

    private static Resource inline(String path, String content) {
        return new Resource.Inline(ResourcePath.parse(path, 100, 10), content);
    }

    @Test
    void writesEveryResourceIncludingSubdirectories() throws Exception {
        sync.sync(project, List.of(inline("main.tex", "root"), inline("a/b/c.tex", "deep")));

        assertThat(project.resolve("main.tex")).hasContent("root");
        assertThat(project.resolve("a/b/c.tex")).hasContent("deep");
    }

    @Test
    void replacesALinkPlantedWhereAResourceGoesWithoutTouchingItsTarget() throws Exception {
        Path target = Files.writeString(outside.resolve("victim.txt"), "precious");
        Files.createSymbolicLink(project.resolve("main.tex"), target);

        sync.sync(project, List.of(inline("main.tex", "new content")));

        assertThat(Files.isSymbolicLink(project.resolve("main.tex"))).isFalse();
        assertThat(project.resolve("main.tex")).hasContent("new content");
        assertThat(target).hasContent("precious");
    }

    @Test
    void replacesALinkToADirectoryWithARealDirectory() throws Exception {
        Files.createSymbolicLink(project.resolve("chapters"), outside);

        sync.sync(project, List.of(inline("main.tex", "x"), inline("chapters/one.tex", "chapter")));

        assertThat(Files.isDirectory(project.resolve("chapters"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(project.resolve("chapters/one.tex")).hasContent("chapter");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void removesStaleFilesButKeepsAuxiliaryFilesBetweenRuns() throws Exception {
        sync.sync(project, List.of(inline("main.tex", "x"), inline("old.tex", "gone soon")));
        for (String generated : List.of("output.pdf", "output.log", "output.aux", "output.fdb_latexmk",
                "chapters/one.aux", "_minted-output/x.pygtex", "stray.txt", "fig.md5", "fig.pdf")) {
            Path file = project.resolve(generated);
            Files.createDirectories(file.getParent());
            Files.writeString(file, generated);
        }
        Files.createSymbolicLink(project.resolve("link.tex"), outside);

        sync.sync(project, List.of(inline("main.tex", "x")));

        assertThat(project.resolve("old.tex")).doesNotExist();
        assertThat(project.resolve("output.pdf")).doesNotExist();
        assertThat(project.resolve("output.log")).doesNotExist();
        assertThat(project.resolve("stray.txt")).doesNotExist();
        assertThat(Files.exists(project.resolve("link.tex"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(project.resolve("output.aux")).exists();
        assertThat(project.resolve("output.fdb_latexmk")).exists();
        assertThat(project.resolve("chapters/one.aux")).exists();
        assertThat(project.resolve("_minted-output/x.pygtex")).exists();
        assertThat(project.resolve("fig.md5")).exists();
        assertThat(project.resolve("fig.pdf")).exists();
        assertThat(outside).exists();
    }

    @Test
    void wipesEveryGeneratedFileAfterAKilledCompile() throws Exception {
        List<Resource> resources = List.of(inline("main.tex", "x"));
        sync.sync(project, resources);
        Files.writeString(project.resolve("output.aux"), "half-written");

        sync.wipeGenerated(project, resources);

        try (var entries = Files.list(project)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("main.tex");
        }
    }

    @Test
    void recreatesAProjectDirectoryThatWasReplacedByALink() throws Exception {
        Path elsewhere = temp.resolve("elsewhere");
        Files.createDirectory(elsewhere);
        Path linked = temp.resolve("linked");
        Files.createSymbolicLink(linked, elsewhere);

        sync.prepare(linked);

        assertThat(Files.isDirectory(linked, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(elsewhere).exists();
    }
}
