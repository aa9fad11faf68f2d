package org.texfarm.loadtest.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightedTest {
    private static Weighted<CompileKind> mix(String text) {
        return Weighted.parse(text, name -> CompileKind.valueOf(name.toUpperCase(Locale.ROOT)));
    }

    @Test
    void picksInProportionToTheWeights() {
        Weighted<CompileKind> mix = mix("first=10, edit=80, unchanged=10");
        Map<CompileKind, Integer> picks = new EnumMap<>(CompileKind.class);
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            picks.merge(mix.pick(random), 1, Integer::sum);
        }

        assertThat(picks.get(CompileKind.EDIT) / 100_000.0).isCloseTo(0.8, within(0.01));
        assertThat(picks.get(CompileKind.FIRST) / 100_000.0).isCloseTo(0.1, within(0.01));
        assertThat(mix.shares().get(CompileKind.UNCHANGED)).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void aZeroWeightIsNeverPickedAndPlainNamesWeighOne() {
        Weighted<CompileKind> mix = mix("first=0,edit");

        assertThat(mix.shares()).containsOnlyKeys(CompileKind.EDIT);
        assertThat(mix.pick(new Random(1))).isEqualTo(CompileKind.EDIT);
    }

    @Test
    void namesTheBadPart() {
        assertThatThrownBy(() -> mix("first=ten")).hasMessageContaining("'first=ten' must be name=weight");
        assertThatThrownBy(() -> mix("first=0")).hasMessageContaining("not all zero");
        assertThatThrownBy(() -> mix("first=-1,edit=2")).hasMessageContaining("zero or more");
        assertThatThrownBy(() -> mix("second=1")).isInstanceOf(IllegalArgumentException.class);
    }
}
