package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/clsi-compatibility.md shows the known failures of Overleaf's CLSI acceptance suite as they are listed. */
class ClsiCompatibilityDocTest {
    @Test
    void docShowsTheKnownFailuresListAsItIs() throws IOException {
        String expected = ClsiCompatibilityDoc.render(KnownFailure.load());
        if (!ClsiCompatibilityDoc.section(Files.readString(ClsiCompatibilityDoc.file())).equals(expected)) {
            fail("docs/clsi-compatibility.md is out of date with " + KnownFailure.SOURCE + "; regenerate it from the repository with\n  "
                    + ClsiCompatibilityDoc.REGENERATE + "\nor put this in its place:\n"
                    + ClsiCompatibilityDoc.BEGIN + expected + ClsiCompatibilityDoc.END);
        }
    }

    @Test
    void tableCellsKeepPipesAndLineBreaksFromBreakingTheRow() {
        String table = ClsiCompatibilityDoc.render(List.of(new KnownFailure("a | b", "one\ntwo", null, false)));

        assertThat(table).contains("| a \\| b | one two |  |\n");
    }

    @Test
    void aFlakyTestSaysItMayPass() {
        String table = ClsiCompatibilityDoc.render(List.of(new KnownFailure("A b", "A race.", "stays", true)));

        assertThat(table).contains("| A b | A race. Flaky: it may pass. | stays |\n");
    }

    @Test
    void rewritingReplacesOnlyWhatIsBetweenTheMarkers() {
        String doc = "# Title\n\n" + ClsiCompatibilityDoc.BEGIN + "\nold\n" + ClsiCompatibilityDoc.END + "\nafter\n";

        assertThat(ClsiCompatibilityDoc.withSection(doc, "\nnew\n"))
                .isEqualTo("# Title\n\n" + ClsiCompatibilityDoc.BEGIN + "\nnew\n" + ClsiCompatibilityDoc.END + "\nafter\n");
    }
}
