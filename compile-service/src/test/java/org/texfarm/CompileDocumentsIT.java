package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;
import static org.texfarm.Projects.project;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real documents through the real service, engine and image: the PDF's text is checked. */
class CompileDocumentsIT {
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static JsonObject compiled(String projectId, Projects project) {
        RunningService.Response response = service.compile(projectId, project.json());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        return response.json();
    }

    @Test
    void compilesAOneFileDocument() {
        JsonObject response = compiled("one-file", document("Hello, sandboxed world."));

        assertThat(service.pdfText(response)).contains("Hello, sandboxed world.");
        JsonObject compile = response.getJsonObject("compile");
        assertThat(compile.getString("buildId")).matches("[0-9a-f]+-[0-9a-f]+");
        assertThat(compile.getJsonObject("stats").getLong("pdf-size")).isPositive();
        assertThat(compile.getJsonObject("stats").getLong("latex-runs")).isPositive();
        assertThat(compile.getJsonObject("timings").fieldNames()).contains("sync", "compile", "output", "compileE2E");
    }

    @Test
    void compilesAMultiFileProjectWithIncludeAndInputFromSubdirectories() {
        Projects project = project()
                .file("main.tex", """
                        \\documentclass{report}
                        \\begin{document}
                        \\include{chapters/first}
                        \\include{chapters/second}
                        \\input{parts/deep/closing}
                        \\end{document}
                        """)
                .file("chapters/first.tex", "\\chapter{Alpha} First chapter text.")
                .file("chapters/second.tex", "\\chapter{Beta} Second chapter text, see \\ref{fig:x}.\\label{fig:x}")
                .file("parts/deep/closing.tex", "Closing words.");

        JsonObject response = compiled("multi-file", project);

        assertThat(service.pdfText(response))
                .contains("Alpha", "First chapter text.", "Beta", "Second chapter text", "Closing words.");
    }

    @Test
    void runsBibtexForACitation() {
        Projects project = project()
                .file("main.tex", """
                        \\documentclass{article}
                        \\begin{document}
                        As shown by \\cite{knuth84}.
                        \\bibliographystyle{plain}
                        \\bibliography{refs}
                        \\end{document}
                        """)
                .file("refs.bib", "@book{knuth84, author={Donald E. Knuth}, title={The {\\TeX}book}, year={1984}, publisher={Addison-Wesley}}");

        JsonObject response = compiled("bibtex", project);

        assertThat(service.pdfText(response)).contains("As shown by [1]", "Donald E. Knuth", "The TEXbook");
    }

    @Test
    void runsBiberForBiblatex() {
        Projects project = project()
                .file("main.tex", """
                        \\documentclass{article}
                        \\usepackage[backend=biber]{biblatex}
                        \\addbibresource{refs.bib}
                        \\begin{document}
                        Cited: \\cite{lamport94}.
                        \\printbibliography
                        \\end{document}
                        """)
                .file("refs.bib", "@book{lamport94, author={Leslie Lamport}, title={LaTeX: A Document Preparation System}, year={1994}, publisher={Addison-Wesley}}");

        JsonObject response = compiled("biber", project);

        assertThat(service.pdfText(response)).contains("Cited: [1]", "Leslie Lamport", "Document Preparation System");
    }

    @Test
    void compilesWithXelatexAndFontspec() {
        Projects project = project()
                .file("main.tex", "\\documentclass{article}\\usepackage{fontspec}\\setmainfont{Latin Modern Roman}"
                        + "\\begin{document}XeLaTeX says h\u00e9llo \u00fcber.\\end{document}")
                .option("compiler", "xelatex");

        JsonObject response = compiled("xelatex", project);

        assertThat(service.pdfText(response)).contains("XeLaTeX says h\u00e9llo \u00fcber.");
    }

    @Test
    void compilesWithLualatex() {
        Projects project = project()
                .file("main.tex", "\\documentclass{article}\\usepackage{fontspec}\\begin{document}Lua computes \\directlua{tex.print(6*7)}.\\end{document}")
                .option("compiler", "lualatex");

        JsonObject response = compiled("lualatex", project);

        assertThat(service.pdfText(response)).contains("Lua computes 42.");
    }

    @Test
    void compilesWithLatexToDviThenPdf() {
        JsonObject response = compiled("latex-dvi", document("Through DVI.").option("compiler", "latex"));

        assertThat(service.pdfText(response)).contains("Through DVI.");
    }

    @Test
    void compilesAMainFileInAFolderAsCLSIDoesWithItsBibliographyIndexAndOutputsAtTheRoot() {
        Projects project = project()
                .file("thesis/main.tex", """
                        \\documentclass{article}
                        \\usepackage{makeidx}
                        \\makeindex
                        \\begin{document}
                        In a folder, citing \\cite{knuth84}.\\index{folder}
                        \\input{chapter1}
                        \\input{chapter2.tex}
                        \\bibliographystyle{plain}
                        \\bibliography{refs}
                        \\printindex
                        \\end{document}
                        """)
                .file("thesis/chapter1.tex", "Beside the main file, see \\ref{nowhere}.")
                .file("chapter2.tex", "At the project root.")
                .file("thesis/refs.bib", "@book{knuth84, author={Donald E. Knuth}, title={The {\\TeX}book}, year={1984}, publisher={Addison-Wesley}}")
                .root("thesis/main.tex");

        RunningService.Response response = service.compile("in-a-folder", project.json());

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        String text = service.pdfText(response.json());
        assertThat(text).contains("In a folder, citing [1]", "Beside the main file, see ??.", "At the project root.",
                "Donald E. Knuth", "Index", "folder, 1");
        assertThat(response.compile().getJsonArray("outputFiles").stream().map(f -> ((JsonObject) f).getString("path")))
                .contains("output.pdf", "output.log", "output.bbl", "output.ind", "output.synctex.gz")
                .allSatisfy(path -> assertThat(path).doesNotStartWith("thesis/"));
        assertThat(response.compile().getJsonArray("annotations").stream().map(a -> (JsonObject) a)
                .filter(a -> a.getString("message").contains("Reference `nowhere'")))
                .singleElement().satisfies(a -> {
                    assertThat(a.getString("file")).isEqualTo("thesis/chapter1.tex");
                    assertThat(a.getInteger("line")).isEqualTo(1);
                });
        RunningService.Response sync = service.send(java.net.http.HttpRequest.newBuilder(
                service.uri("/project/in-a-folder/sync/code?file=thesis/chapter1.tex&line=1&column=0")).GET());
        assertThat(sync.status()).as(sync.text()).isEqualTo(200);
        assertThat(new JsonObject(sync.text()).getJsonArray("pdf")).isNotEmpty();
    }

    @Test
    void letsTexWriteOverAResourceAndRestoresItBeforeTheNextCompile() throws Exception {
        Projects writes = project()
                .file("main.tex", """
                        \\documentclass{article}
                        \\begin{document}
                        Writing over a resource.
                        \\newwrite\\out
                        \\immediate\\openout\\out=note.tex
                        \\immediate\\write\\out{Written by TeX.}
                        \\immediate\\closeout\\out
                        \\end{document}
                        """)
                .file("note.tex", "Sent by the editor.");
        Projects reads = project()
                .file("main.tex", "\\documentclass{article}\\begin{document}\\input{note}\\end{document}")
                .file("note.tex", "Sent by the editor.");

        JsonObject first = compiled("writes-a-resource", writes);
        RunningService.Response again = service.compile("writes-a-resource", reads.json());

        assertThat(service.pdfText(first)).contains("Writing over a resource.");
        assertThat(again.compileStatus()).as(again.text()).isEqualTo("success");
        assertThat(service.pdfText(again.json())).contains("Sent by the editor.").doesNotContain("Written by TeX.");
        StoredContent.assertEveryBlobIsWhole(service.dataDir());
    }

    @Test
    void linearizesThePdfForFastWebView() {
        JsonObject response = compiled("linearized", document("Fast web view."));

        byte[] pdf = service.download(RunningService.outputUrl(response, "output.pdf"));
        String head = new String(pdf, 0, Math.min(pdf.length, 1024), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(head).contains("/Linearized");
        assertThat(response.getJsonObject("compile").getJsonObject("texfarm").getString("pdfLinearization")).isEqualTo("linearized");
    }

    @Test
    void runsMakeindex() {
        Projects project = project().file("main.tex", """
                \\documentclass{article}
                \\usepackage{makeidx}
                \\makeindex
                \\begin{document}
                Zebras\\index{zebra} and aardvarks\\index{aardvark}.
                \\printindex
                \\end{document}
                """);

        JsonObject response = compiled("makeindex", project);

        String text = service.pdfText(response);
        assertThat(text).contains("Index");
        assertThat(text.indexOf("aardvark, 1")).isPositive().isLessThan(text.indexOf("zebra, 1"));
    }

    @Test
    void drawsWithTikzAndPgfplots() {
        Projects project = project().file("main.tex", """
                \\documentclass{article}
                \\usepackage{pgfplots}
                \\pgfplotsset{compat=1.18}
                \\begin{document}
                \\begin{tikzpicture}
                  \\node[draw] at (0,0) {TikZ node label};
                \\end{tikzpicture}
                \\begin{tikzpicture}
                  \\begin{axis}[title={Parabola plot}]
                    \\addplot {x^2};
                  \\end{axis}
                \\end{tikzpicture}
                \\end{document}
                """);

        JsonObject response = compiled("tikz", project);

        assertThat(service.pdfText(response)).contains("TikZ node label", "Parabola plot");
    }
}
