package org.texfarm.loadtest.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    @TempDir
    Path folder;

    @Test
    void readsEachSubfolderWithAMainFileAsAProjectAndSkipsHiddenFiles() throws IOException {
        Files.createDirectories(folder.resolve("paper/figures"));
        Files.writeString(folder.resolve("paper/main.tex"), "\\documentclass{article}\\begin{document}Text.\\end{document}");
        Files.write(folder.resolve("paper/figures/plot.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        Files.writeString(folder.resolve("paper/.latexmkrc"), "$pdflatex = 'rm -rf /';");
        Files.createDirectories(folder.resolve("notes"));
        Files.writeString(folder.resolve("notes/readme.txt"), "no main file here");
        Files.createDirectories(folder.resolve("thesis"));
        Files.writeString(folder.resolve("thesis/main.tex"), "\\documentclass{report}\\begin{document}Hi.\\end{document}");

        List<Document> projects = Corpus.folder(folder, "xelatex");

        assertThat(projects).extracting(Document::name).containsExactly("paper", "thesis");
        Document paper = projects.getFirst();
        assertThat(paper.files()).containsOnlyKeys("main.tex", "figures/plot.png");
        assertThat(paper.compiler()).isEqualTo("xelatex");
        assertThat(Document.isText(paper.files().get("main.tex"))).isTrue();
        assertThat(Document.isText(paper.files().get("figures/plot.png"))).isFalse();
    }

    @Test
    void aFolderWithAMainFileIsOneProject() throws IOException {
        Files.writeString(folder.resolve("main.tex"), "\\documentclass{article}\\begin{document}One.\\end{document}");

        assertThat(Corpus.folder(folder, "pdflatex")).singleElement().satisfies(d -> assertThat(d.root()).isEqualTo("main.tex"));
    }

    @Test
    void refusesAFolderWithoutProjectsAndAnUnknownBuiltIn() {
        assertThatThrownBy(() -> Corpus.folder(folder, "pdflatex")).hasMessageContaining("has no main.tex");
        assertThatThrownBy(() -> Corpus.builtIn("novel")).hasMessageContaining("built in: hello, article, tikz, t1, thesis");
    }
}
