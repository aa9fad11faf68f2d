package org.texfarm.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.texfarm.InvalidRequestException;

class ResourcePathTest {
    private static ResourcePath parse(String path) {
        return ResourcePath.parse(path, 200, 8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"main.tex", "chapters/intro.tex", "a b/c d.tex", "fig/\u00e9t\u00e9.png", "x/.hidden", "-dash.tex",
            "\ud83d\ude00.tex"})
    void acceptsRelativePathsInsideTheProject(String path) {
        assertThat(parse(path).toString()).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "../x", "a/../../x", "a/./b", ".", "..", "a//b", "a/", "a\\b",
            "a\u0000b", "a\nb", "\ud800x"})
    void refusesPathsThatCouldLeaveTheProjectOrConfuseTools(String path) {
        assertThatThrownBy(() -> parse(path)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("invalid resource path");
    }

    @Test
    void refusesPathsBeyondTheLengthAndDepthBounds() {
        assertThatThrownBy(() -> parse("x".repeat(201))).hasMessageContaining("longer than 200");
        assertThatThrownBy(() -> parse("a/b/c/d/e/f/g/h/i")).hasMessageContaining("more than 8 levels");
        assertThatThrownBy(() -> ResourcePath.parse("y".repeat(256), 1000, 8)).hasMessageContaining("component is longer");
    }

    @Test
    void resolvesComponentByComponentBelowTheRoot() {
        Path root = Path.of("/data/compiles/p/x");

        assertThat(parse("a/b.tex").resolveIn(root)).isEqualTo(root.resolve("a").resolve("b.tex"));
    }

    @Test
    void knowsHiddenFiles() {
        assertThat(parse("dir/.secret").isHidden()).isTrue();
        assertThat(parse(".git/config").isHidden()).isTrue();
        assertThat(parse("dir/visible.tex").isHidden()).isFalse();
    }
}
