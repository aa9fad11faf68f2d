package org.texfarm.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.texfarm.InvalidRequestException;
import org.texfarm.ProjectKey;

class ProjectSyncTest {
    private static final ProjectKey PROJECT = ProjectKey.of("project", null);
    private static final ProjectKey OTHER = ProjectKey.of("other", null);

    @TempDir
    Path temp;
    private Path project;
    private Path outside;
    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        project = temp.resolve("compiles/project");
        outside = Files.createDirectory(temp.resolve("outside"));
        fixture = new SyncFixture(temp.resolve("data"), List.of(), true);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private static ResourcePath path(String text) {
        return ResourcePath.parse(text, 100, 10);
    }

    private static Resource inline(String path, String content) {
        return new Resource.Inline(path(path), content);
    }

    private ProjectSync.Outcome full(String state, Resource... resources) throws Exception {
        return fixture.sync.sync(PROJECT, project, SyncType.FULL, state, path("main.tex"), List.of(resources));
    }

    private ProjectSync.Outcome incremental(String state, Resource... resources) throws Exception {
        return fixture.sync.sync(PROJECT, project, SyncType.INCREMENTAL, state, path("main.tex"), List.of(resources));
    }

    @Test
    void writesEveryResourceOfAFullSyncIncludingSubdirectories() throws Exception {
        ProjectSync.Outcome outcome = full("s1", inline("main.tex", "root"), inline("a/b/c.tex", "deep"));

        assertThat(project.resolve("main.tex")).hasContent("root");
        assertThat(project.resolve("a/b/c.tex")).hasContent("deep");
        assertThat(outcome.filesWritten()).isEqualTo(2);
        assertThat(outcome.resourcePaths()).containsExactlyInAnyOrder("main.tex", "a/b/c.tex");
    }

    @Test
    void rewritesOnlyWhatChangedOnAnotherFullSync() throws Exception {
        full("s1", inline("main.tex", "root"), inline("a.tex", "same"));

        ProjectSync.Outcome again = full("s2", inline("main.tex", "edited"), inline("a.tex", "same"));

        assertThat(again.filesWritten()).isEqualTo(1);
        assertThat(project.resolve("main.tex")).hasContent("edited");
    }

    @Test
    void appliesAnIncrementalSyncOnTopOfTheLastFullSync() throws Exception {
        full("s1", inline("main.tex", "root"), inline("chapter.tex", "one"), inline("other.tex", "untouched"));

        ProjectSync.Outcome outcome = incremental("s1", inline("chapter.tex", "two"));

        assertThat(outcome.filesWritten()).isEqualTo(1);
        assertThat(outcome.resourcePaths()).containsExactlyInAnyOrder("main.tex", "chapter.tex", "other.tex");
        assertThat(project.resolve("chapter.tex")).hasContent("two");
        assertThat(project.resolve("other.tex")).hasContent("untouched");
        assertThat(fixture.states.get(PROJECT).orElseThrow().syncState()).isEqualTo("s1");
    }

    @Test
    void refusesAnIncrementalSyncWithoutAFullSyncOrWithAnotherState() throws Exception {
        assertThatThrownBy(() -> incremental("s1", inline("main.tex", "x")))
                .isInstanceOf(SyncConflictException.class).hasMessageContaining("send a full sync");

        full("s1", inline("main.tex", "root"));

        assertThatThrownBy(() -> incremental("s2", inline("main.tex", "x")))
                .isInstanceOf(SyncConflictException.class).hasMessageContaining("another syncState");
        assertThat(project.resolve("main.tex")).hasContent("root");
    }

    @Test
    void restoresAListedFileTheLastCompileDeletedOrChanged() throws Exception {
        full("s1", inline("main.tex", "root"), inline("kept.tex", "original"));
        Files.delete(project.resolve("kept.tex"));
        Files.delete(project.resolve("main.tex"));
        Files.writeString(project.resolve("main.tex"), "tampered");

        incremental("s1");

        assertThat(project.resolve("kept.tex")).hasContent("original");
        assertThat(project.resolve("main.tex")).hasContent("root");
    }

    @Test
    void syncsAProjectWhoseRootFileIsNotAResourceAndRefusesARootThatIsADirectory() throws Exception {
        ProjectSync.Outcome outcome = fixture.sync.sync(PROJECT, project, SyncType.FULL, "s", path("missing.tex"),
                List.of(inline("main.tex", "x")));

        assertThat(outcome.resourcePaths()).containsExactly("main.tex");
        assertThatThrownBy(() -> fixture.sync.sync(PROJECT, project, SyncType.FULL, "s", path("chapters"),
                List.of(inline("chapters/one.tex", "x")))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void restoresAResourceTheLastCompileWroteOverInPlace() throws Exception {
        full("s1", inline("main.tex", "root"), inline("output.ist", "style"));
        Path style = project.resolve("output.ist");
        FileTime modified = Files.getLastModifiedTime(style);
        Files.writeString(style, "STYLE");
        Files.setLastModifiedTime(style, modified);

        ProjectSync.Outcome outcome = full("s1", inline("main.tex", "root"), inline("output.ist", "style"));

        assertThat(style).hasContent("style");
        assertThat(outcome.filesWritten()).isEqualTo(1);
        assertThat(Files.isWritable(style)).isTrue();
    }

    @Test
    void saysWhetherItCreatedTheCompileDirectory() throws Exception {
        assertThat(full("s1", inline("main.tex", "x")).createdDirectory()).isTrue();
        assertThat(full("s1", inline("main.tex", "x")).createdDirectory()).isFalse();
    }

    @Test
    void takesTheLastOfTwoEntriesForOnePath() throws Exception {
        full("s1", inline("main.tex", "first"), inline("main.tex", "second"));

        assertThat(project.resolve("main.tex")).hasContent("second");
    }

    @Test
    void replacesALinkPlantedWhereAResourceGoesWithoutTouchingItsTarget() throws Exception {
        full("s1", inline("main.tex", "x"));
        Path target = Files.writeString(outside.resolve("victim.txt"), "precious");
        Files.delete(project.resolve("main.tex"));
        Files.createSymbolicLink(project.resolve("main.tex"), target);

        full("s2", inline("main.tex", "new content"));

        assertThat(Files.isSymbolicLink(project.resolve("main.tex"))).isFalse();
        assertThat(project.resolve("main.tex")).hasContent("new content");
        assertThat(target).hasContent("precious");
    }

    @Test
    void replacesALinkToADirectoryWithARealDirectory() throws Exception {
        full("s1", inline("main.tex", "x"));
        Files.createSymbolicLink(project.resolve("chapters"), outside);

        full("s2", inline("main.tex", "x"), inline("chapters/one.tex", "chapter"));

        assertThat(Files.isDirectory(project.resolve("chapters"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(project.resolve("chapters/one.tex")).hasContent("chapter");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void removesStaleFilesButKeepsAuxiliaryFilesBetweenRuns() throws Exception {
        full("s1", inline("main.tex", "x"), inline("old.tex", "gone soon"));
        for (String generated : List.of("output.pdf", "output.log", "output.aux", "output.fdb_latexmk",
                "chapters/one.aux", "_minted-output/x.pygtex", "cache/knitr.rds", "stray.txt", "fig.md5", "fig.pdf",
                ".texfarm-fonts/pk/ljfour/public/bbm/bbm10.600pk")) {
            Path file = project.resolve(generated);
            Files.createDirectories(file.getParent());
            Files.writeString(file, generated);
        }
        Files.createSymbolicLink(project.resolve("link.tex"), outside);

        full("s2", inline("main.tex", "x"));

        assertThat(project.resolve("old.tex")).doesNotExist();
        assertThat(project.resolve("output.pdf")).doesNotExist();
        assertThat(project.resolve("output.log")).doesNotExist();
        assertThat(project.resolve("stray.txt")).doesNotExist();
        assertThat(Files.exists(project.resolve("link.tex"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        for (String kept : List.of("output.aux", "output.fdb_latexmk", "chapters/one.aux", "_minted-output/x.pygtex",
                "cache/knitr.rds", "fig.md5", "fig.pdf", ".texfarm-fonts/pk/ljfour/public/bbm/bbm10.600pk")) {
            assertThat(project.resolve(kept)).as(kept).exists();
        }
        assertThat(outside).exists();
    }

    @Test
    void keepsWhatTheOperatorsPatternNames() throws Exception {
        ProjectSync sync = new ProjectSync(fixture.store, fixture.urls, fixture.states,
                new KeepBetweenRuns(java.util.regex.Pattern.compile("figures/.*\\.svg")),
                new Ownership(0, 0, false), fixture.clock, java.time.Duration.ofDays(1), fixture.registry);
        sync.sync(PROJECT, project, SyncType.FULL, "s", path("main.tex"), List.of(inline("main.tex", "x")));
        Files.createDirectories(project.resolve("figures"));
        Files.writeString(project.resolve("figures/plot.svg"), "<svg/>");
        Files.writeString(project.resolve("figures/plot.png"), "png");

        sync.sync(PROJECT, project, SyncType.FULL, "s", path("main.tex"), List.of(inline("main.tex", "x")));

        assertThat(project.resolve("figures/plot.svg")).exists();
        assertThat(project.resolve("figures/plot.png")).doesNotExist();
    }

    @Test
    void wipesEveryGeneratedFileAfterAKilledCompile() throws Exception {
        ProjectSync.Outcome outcome = full("s1", inline("main.tex", "x"));
        Files.writeString(project.resolve("output.aux"), "half-written");

        fixture.sync.wipeGenerated(project, outcome.resourcePaths());

        try (var entries = Files.list(project)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("main.tex");
        }
    }

    @Test
    void resolvesAHashOnlyToContentTheSameProjectSent() throws Exception {
        full("s1", inline("main.tex", "secret of this project"));
        Sha256 secret = Sha256.of("secret of this project".getBytes());
        Sha256 uploaded = fixture.store.put("uploaded".getBytes());
        fixture.sync.recordUpload(PROJECT, uploaded);

        full("s2", new Resource.Stored(path("main.tex"), secret), new Resource.Stored(path("up.tex"), uploaded));

        assertThat(project.resolve("up.tex")).hasContent("uploaded");
        assertThat(fixture.sync.missing(OTHER, List.of(secret, uploaded))).containsExactly(secret, uploaded);
        assertThat(fixture.sync.missing(PROJECT, List.of(secret, uploaded))).isEmpty();
        Path otherDir = temp.resolve("compiles/other");
        assertThatThrownBy(() -> fixture.sync.sync(OTHER, otherDir, SyncType.FULL, "s", path("main.tex"),
                List.of(new Resource.Stored(path("main.tex"), secret))))
                .isInstanceOf(SyncConflictException.class).hasMessageContaining("has not sent");
        assertThat(otherDir).doesNotExist();
    }

    @Test
    void answersTheSameForAnUnknownHashWhetherOrNotAnotherProjectHasIt() throws Exception {
        full("s1", inline("main.tex", "stored elsewhere"));
        Sha256 existing = Sha256.of("stored elsewhere".getBytes());
        Sha256 absent = Sha256.of("never stored".getBytes());

        assertThat(fixture.sync.missing(OTHER, List.of(existing, absent))).containsExactly(existing, absent);
    }

    @Test
    void recreatesAProjectDirectoryThatWasReplacedByALink() throws Exception {
        Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"));
        Files.createDirectories(project.getParent());
        Files.createSymbolicLink(project, elsewhere);

        full("s1", inline("main.tex", "x"));

        assertThat(Files.isDirectory(project, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(elsewhere).isEmptyDirectory();
    }
}
