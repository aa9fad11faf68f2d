package org.texfarm.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.texfarm.InvalidRequestException;
import org.texfarm.ProjectKey;
import org.texfarm.sync.ResourcePath;

class BuildStoreTest {
    private static final ProjectKey PROJECT = ProjectKey.of("p", null);
    private static final OutputLimits LIMITS = new OutputLimits(1 << 20, 100, 1 << 16, 64);

    @TempDir
    Path temp;

    private static ResourcePath path(String text) {
        return ResourcePath.parse(text, 100, 10);
    }

    @Test
    void savesRegularOutputFilesButNotInputsLinksOrDotFiles() throws Exception {
        Path compileDir = Files.createDirectories(temp.resolve("compile"));
        Files.writeString(compileDir.resolve("main.tex"), "input");
        Files.writeString(compileDir.resolve("output.log"), "log");
        Files.createDirectories(compileDir.resolve("sub"));
        Files.writeString(compileDir.resolve("sub/chapter.aux"), "aux");
        Files.writeString(compileDir.resolve(".hidden"), "dot");
        Path secret = Files.writeString(temp.resolve("secret"), "host secret");
        Files.createSymbolicLink(compileDir.resolve("output.pdf"), secret);
        Files.createSymbolicLink(compileDir.resolve("linked-dir"), temp);
        BuildStore store = new BuildStore(temp.resolve("builds"), 3, Runnable::run);

        List<OutputFile> files = store.save(PROJECT, "1-aa", compileDir, Set.of("main.tex"), "console", "errors", LIMITS).files();

        assertThat(files).extracting(OutputFile::path)
                .containsExactly("output.log", "output.stderr", "output.stdout", "sub/chapter.aux");
        assertThat(files).allSatisfy(f -> assertThat(f.build()).isEqualTo("1-aa"));
        assertThat(store.find(PROJECT, "1-aa", path("output.log"))).hasValueSatisfying(p -> assertThat(p).hasContent("log"));
        assertThat(store.find(PROJECT, "1-aa", path("output.stdout"))).hasValueSatisfying(p -> assertThat(p).hasContent("console"));
        assertThat(store.find(PROJECT, "1-aa", path("output.stderr"))).hasValueSatisfying(p -> assertThat(p).hasContent("errors"));
        assertThat(store.find(PROJECT, "1-aa", path("output.pdf"))).isEmpty();
        assertThat(store.find(PROJECT, "1-aa", path("main.tex"))).isEmpty();
    }

    @Test
    void keepsOnlyTheNewestBuilds() throws Exception {
        Path compileDir = Files.createDirectories(temp.resolve("compile"));
        Files.writeString(compileDir.resolve("output.log"), "log");
        BuildStore store = new BuildStore(temp.resolve("builds"), 2, Runnable::run);

        for (String id : List.of("a-01", "1b-02", "c-03")) {
            store.save(PROJECT, id, compileDir, Set.of(), "", "", LIMITS);
        }

        assertThat(store.find(PROJECT, "a-01", path("output.log"))).isEmpty();
        assertThat(store.find(PROJECT, "c-03", path("output.log"))).isPresent();
        assertThat(store.find(PROJECT, "1b-02", path("output.log"))).isPresent();
    }

    @Test
    void cutsLogsAtTheLogLimitAndSaysSo() throws Exception {
        Path compileDir = Files.createDirectories(temp.resolve("compile"));
        Files.writeString(compileDir.resolve("output.log"), "x".repeat(100));
        Files.writeString(compileDir.resolve("output.aux"), "y".repeat(100));
        BuildStore store = new BuildStore(temp.resolve("builds"), 2, Runnable::run);

        store.save(PROJECT, "1-aa", compileDir, Set.of(), "", "", LIMITS);

        assertThat(store.find(PROJECT, "1-aa", path("output.log")).orElseThrow())
                .hasContent("x".repeat(64) + "\n[log truncated by the compile service]");
        assertThat(store.find(PROJECT, "1-aa", path("output.aux")).orElseThrow()).hasContent("y".repeat(100));
    }

    @Test
    void keepsOnlyTheLogOfADirectoryOverItsLimits() throws Exception {
        Path compileDir = Files.createDirectories(temp.resolve("compile"));
        Files.writeString(compileDir.resolve("output.log"), "log");
        for (int i = 0; i < 150; i++) {
            Files.writeString(compileDir.resolve("junk" + i + ".txt"), "junk");
        }
        BuildStore store = new BuildStore(temp.resolve("builds"), 2, Runnable::run);

        BuildStore.Build build = store.save(PROJECT, "1-aa", compileDir, Set.of(), "latexmk: too much", "", LIMITS);

        assertThat(build.overLimits()).isTrue();
        assertThat(build.files()).extracting(OutputFile::path).containsExactly("output.log", "output.stdout");
    }

    @Test
    void namesTheOutputsThatReachedTheFileSizeLimit() throws Exception {
        Path compileDir = Files.createDirectories(temp.resolve("compile"));
        Files.write(compileDir.resolve("bomb.txt"), new byte[1 << 16]);
        Files.writeString(compileDir.resolve("output.log"), "log");
        BuildStore store = new BuildStore(temp.resolve("builds"), 2, Runnable::run);

        BuildStore.Build build = store.save(PROJECT, "1-aa", compileDir, Set.of(), "", "", LIMITS);

        assertThat(build.overLimits()).isFalse();
        assertThat(build.cutBySizeLimit()).containsExactly("bomb.txt");
    }

    @Test
    void refusesAMalformedBuildId() {
        BuildStore store = new BuildStore(temp.resolve("builds"), 2, Runnable::run);

        assertThatThrownBy(() -> store.find(PROJECT, "../x", path("output.pdf"))).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void namesTheTypeByExtensionAsClsiDoes() {
        assertThat(BuildStore.typeOf("output.pdf")).isEqualTo("pdf");
        assertThat(BuildStore.typeOf("output.synctex.gz")).isEqualTo("gz");
        assertThat(BuildStore.typeOf("dir/README")).isEmpty();
    }
}
