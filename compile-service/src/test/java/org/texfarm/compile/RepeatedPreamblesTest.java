package org.texfarm.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.texfarm.ProjectKey;
import org.texfarm.sync.Sha256;

class RepeatedPreamblesTest {
    private static final ProjectKey PROJECT = ProjectKey.of("project", null);
    private static final ProjectKey OTHER = ProjectKey.of("other", null);
    private static final Sha256 PREAMBLE = Sha256.of("\\usepackage{amsmath}".getBytes(StandardCharsets.UTF_8));
    private static final Sha256 CHANGED = Sha256.of("\\usepackage{tikz}".getBytes(StandardCharsets.UTF_8));

    @Test
    void dumpsAPreambleOnceItsProjectHasCompiledItAsOftenAsSet() {
        RepeatedPreambles preambles = new RepeatedPreambles(3);

        assertThat(preambles.compiledWithout(PROJECT, PREAMBLE)).isFalse();
        assertThat(preambles.compiledWithout(PROJECT, PREAMBLE)).isFalse();
        assertThat(preambles.compiledWithout(PROJECT, PREAMBLE)).isTrue();
        assertThat(preambles.compiledWithout(PROJECT, PREAMBLE)).isTrue();
    }

    @Test
    void countsAChangedPreambleFromOneAndEachProjectApart() {
        RepeatedPreambles preambles = new RepeatedPreambles(2);

        preambles.compiledWithout(PROJECT, PREAMBLE);
        assertThat(preambles.compiledWithout(PROJECT, CHANGED)).isFalse();
        assertThat(preambles.compiledWithout(OTHER, CHANGED)).isFalse();
        assertThat(preambles.compiledWithout(PROJECT, CHANGED)).isTrue();
    }

    @Test
    void dumpsAtTheFirstSuccessWhenSetToOne() {
        assertThat(new RepeatedPreambles(1).compiledWithout(PROJECT, PREAMBLE)).isTrue();
    }

    @Test
    void refusesACountBelowOne() {
        assertThatThrownBy(() -> new RepeatedPreambles(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not 0");
    }
}
