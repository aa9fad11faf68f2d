package org.texfarm.loadtest.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WordEditTest {
    private static final String DOCUMENT = """
            \\documentclass{article}
            \\usepackage{tikz}
            \\begin{document}
            \\section{Introduction}\\label{sec:intro}
            Results are shown in \\cref{sec:intro} and in the survey \\cite{knuth, lamport}.
            % a comment with words that must stay
            \\begin{tikzpicture}
              \\draw (0,0) circle (1cm) node {label};
            \\end{tikzpicture}
            \\[ \\alpha + beta \\]
            \\end{document}
            """;

    @Test
    void changesExactlyOneWordOfRunningText() {
        for (int seed = 0; seed < 50; seed++) {
            String edited = WordEdit.apply(DOCUMENT, new Random(seed));

            List<String> before = Arrays.asList(DOCUMENT.split("\\s+"));
            List<String> after = Arrays.asList(edited.split("\\s+"));
            assertThat(after).hasSameSizeAs(before);
            long changed = java.util.stream.IntStream.range(0, before.size())
                    .filter(i -> !before.get(i).equals(after.get(i))).count();
            assertThat(changed).isEqualTo(1);
        }
    }

    @Test
    void leavesCommandsKeysCommentsCodeAndMathAlone() {
        List<String> candidates = WordEdit.candidates(DOCUMENT).stream()
                .map(span -> DOCUMENT.substring(span[0], span[1])).toList();

        assertThat(candidates).containsExactlyInAnyOrder("shown", "survey");
    }

    @Test
    void theSameSeedMakesTheSameEdit() {
        assertThat(WordEdit.apply(DOCUMENT, new Random(3))).isEqualTo(WordEdit.apply(DOCUMENT, new Random(3)));
    }

    @Test
    void aDocumentWithoutProseGetsAChangedCommentInstead() {
        String edited = WordEdit.apply("\\documentclass{article}\\begin{document}\\end{document}", new Random(1));

        assertThat(edited).contains("% edit ");
    }

    @Test
    void everyBuiltInDocumentHasWordsToEdit() {
        for (String name : Corpus.BUILT_IN) {
            Document document = Corpus.builtIn(name);
            String text = new String(document.files().get(document.editedFile()), StandardCharsets.UTF_8);
            assertThat(WordEdit.candidates(text)).as(name).isNotEmpty();
        }
    }
}
