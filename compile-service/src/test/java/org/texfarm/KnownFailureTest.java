package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The list of acceptance tests allowed to fail is read strictly, so that a slip in it is not silently ignored. */
class KnownFailureTest {
    @Test
    void readsTestReasonAndTheOptionalUntilAndFlaky() {
        assertThat(KnownFailure.parse("""
                [{"test": "A b", "reason": "why", "until": "issue 9"}, {"test": "A c", "reason": "why", "flaky": true}]"""))
                .containsExactly(new KnownFailure("A b", "why", "issue 9", false), new KnownFailure("A c", "why", null, true));
    }

    @Test
    void refusesAMisspelledFieldATestListedTwiceAndAnEntryWithoutReason() {
        assertThatThrownBy(() -> KnownFailure.parse("[{\"test\": \"A b\", \"reason\": \"why\", \"untill\": \"x\"}]"))
                .hasMessageContaining("untill");
        assertThatThrownBy(() -> KnownFailure.parse("[{\"test\": \"A b\", \"reason\": \"x\"}, {\"test\": \"A b\", \"reason\": \"y\"}]"))
                .hasMessageContaining("listed twice: A b");
        assertThatThrownBy(() -> KnownFailure.parse("[{\"test\": \"A b\"}]")).hasMessageContaining("A b");
    }
}
