package org.texfarm.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreambleTest {

    private static Optional<String> preambleOf(String root) {
        return Preamble.of(root.getBytes(StandardCharsets.UTF_8)).map(Preamble::text);
    }

    @Test
    void isEveryLineBeforeTheDocumentBegins() {
        assertThat(preambleOf("\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\nHi\n\\end{document}\n"))
                .contains("\\documentclass{article}\n\\usepackage{amsmath}\n");
    }

    @Test
    void leavesTheLineWhereTheDocumentBeginsToTheCompile() {
        assertThat(preambleOf("\\documentclass{article}\n\\usepackage{x}\\begin{document}Hi\\end{document}\n"))
                .contains("\\documentclass{article}\n");
    }

    @Test
    void stopsAtAnEndOfDumpMarker() {
        assertThat(preambleOf("\\documentclass{article}\n\\endofdump\n\\usepackage{late}\n\\begin{document}\n"))
                .contains("\\documentclass{article}\n");
        assertThat(preambleOf("\\documentclass{article}\n\\endofdumping\n\\begin {document}\n"))
                .contains("\\documentclass{article}\n\\endofdumping\n");
    }

    @Test
    void ignoresMarkersInComments() {
        assertThat(preambleOf("\\documentclass{article} % \\begin{document} here?\n\\def\\p{100\\%} %\\endofdump\n"
                + "\\begin{document}\n")).contains("\\documentclass{article} % \\begin{document} here?\n\\def\\p{100\\%} %\\endofdump\n");
    }

    @Test
    void hasNoneWhenTheDocumentBeginsElsewhereOrAtOnce() {
        assertThat(preambleOf("\\input{setup}\n\\input{body}\n")).isEmpty();
        assertThat(preambleOf("\\begin{document}\nHi\n\\end{document}\n")).isEmpty();
        assertThat(preambleOf("")).isEmpty();
    }

    private static boolean worthDumping(String preamble) {
        return Preamble.of((preamble + "\\begin{document}\n").getBytes(StandardCharsets.UTF_8)).orElseThrow().worthDumping();
    }

    @Test
    void isWorthADumpOnlyWhenItLoadsMoreThanAStandardClass() {
        assertThat(worthDumping("\\documentclass{article}\n")).isFalse();
        assertThat(worthDumping("\\documentclass[11pt, a4paper]{ report }\n\\newcommand{\\x}{y}\n\\title{T}\n")).isFalse();
        assertThat(worthDumping("\\documentclass{article}\n% \\usepackage{tikz}\n")).isFalse();

        assertThat(worthDumping("\\documentclass{article}\n\\usepackage{amsmath}\n")).isTrue();
        assertThat(worthDumping("\\documentclass{article}\n\\input{macros}\n")).isTrue();
        assertThat(worthDumping("\\documentclass{beamer}\n")).isTrue();
        assertThat(worthDumping("\\documentclass[sigconf]{acmart}\n")).isTrue();
    }

    @Test
    void keepsTheBytesOfAnyEncoding() {
        byte[] latin1 = "\\documentclass{article}\n\\title{Caf\u00e9}\n\\begin{document}\n".getBytes(StandardCharsets.ISO_8859_1);

        Preamble preamble = Preamble.of(latin1).orElseThrow();

        assertThat(new String(preamble.bytes(), StandardCharsets.ISO_8859_1)).isEqualTo("\\documentclass{article}\n\\title{Caf\u00e9}\n");
        assertThat(new String(preamble.dumpSource(), StandardCharsets.ISO_8859_1)).endsWith("\\title{Caf\u00e9}\n\\endofdump\n");
    }

    @Test
    void readsTheProjectFilesARecorderFileNames() {
        List<String> fls = List.of(
                "PWD /slot/work",
                "INPUT /usr/share/texlive/texmf-dist/tex/latex/base/article.cls",
                "INPUT main.tex",
                "INPUT ./macros.sty",
                "INPUT ./macros.sty",
                "INPUT styles/../styles/theme.sty",
                "OUTPUT output.fmt");

        assertThat(PreambleFormats.recordedInputs(fls)).containsExactly("main.tex", "macros.sty", "styles/theme.sty");
    }
}
