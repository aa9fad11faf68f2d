package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;
import static org.texfarm.Projects.project;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.texfarm.sync.KeepBetweenRuns;

/**
 * The TeX Live images as a project picks them, and the tools their latexmk rules run: two TeX Live years,
 * R and Markdown main files, and what shell escape allows. The {@code priority} group has shell escape on,
 * the default group has it off.
 */
class TexLiveImagesIT {
    private static final String TRIXIE = RunningService.TEXLIVE_2024_IMAGE;

    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of(
                "ALLOWED_IMAGES", TRIXIE,
                "IMAGE_ALIASES", "quay.io/sharelatex/texlive-full:2024.1=" + TRIXIE,
                "COMPILE_GROUP_PRIORITY_SHELL_ESCAPE", "true"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static RunningService.Response compiled(String projectId, Projects project) {
        RunningService.Response response = service.compile(projectId, project.json());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response;
    }

    @Test
    void typesetsMintedThreeThroughLatexmintedOnlyAtFullShellEscape() {
        RunningService.Response full = compiled("minted-full", project().option("imageName", TRIXIE)
                .option("compileGroup", "priority").file("main.tex", Projects.MINTED_MAIN));
        RunningService.Response restricted = compiled("minted-restricted", project().option("imageName", TRIXIE)
                .file("main.tex", Projects.MINTED_MAIN));

        // minted 3 runs latexminted, a Python program: not on the restricted list (security.md says why).
        assertThat(full.compileStatus()).as(full.text()).isEqualTo("success");
        assertThat(service.pdfText(full.json())).contains(Projects.MINTED_CODE);
        // TeX wraps its log's lines at 79 characters.
        assertThat(service.outputText(full.json(), "output.log").replace("\n", ""))
                .containsPattern("runsystem\\(latexminted .*\\)\\.\\.\\.executed");
        assertThat(service.outputText(restricted.json(), "output.log").replace("\n", ""))
                .containsPattern("runsystem\\(latexminted .*\\)\\.\\.\\.disabled \\(restricted\\)");
    }

    @Test
    void compilesInTheTexLiveYearTheRequestNamesByImageOrAlias() {
        RunningService.Response byDefault = compiled("year-default", document("Which year?"));
        RunningService.Response byName = compiled("year-2024", document("Which year?").option("imageName", TRIXIE));
        RunningService.Response byAlias = compiled("year-alias",
                document("Which year?").option("imageName", "quay.io/sharelatex/texlive-full:2024.1"));

        // The LaTeX release says which TeX Live it is: Debian 13's binaries call themselves "TeX Live 2025/dev",
        // built from TeX Live 2024's sources for its TeX Live 2024 content.
        assertThat(service.outputText(byDefault.json(), "output.log")).contains("TeX Live 2022", "LaTeX2e <2022-");
        for (RunningService.Response response : new RunningService.Response[] {byName, byAlias}) {
            assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
            assertThat(service.outputText(response.json(), "output.log")).contains("LaTeX2e <2024-");
            assertThat(service.pdfText(response.json())).contains("Which year?");
        }
    }

    @Test
    void compilesWhatOrdinaryOverleafProjectsUse() {
        Map<String, Projects> projects = Map.of(
                "cv", project().file("main.tex", """
                        \\documentclass[11pt,a4paper,sans]{moderncv}
                        \\moderncvstyle{classic}\\moderncvcolor{blue}
                        \\name{Ada}{Lovelace}\\email{ada@example.org}\\phone[mobile]{+44 20 0000}
                        \\begin{document}\\makecvtitle
                        \\section{Work}\\cventry{1843}{Notes on the Engine}{Menabrea}{London}{}{The first program.}
                        \\end{document}
                        """),
                "chinese", project().file("main.tex", """
                        \\documentclass{ctexart}
                        \\begin{document}你好，世界。\\end{document}
                        """).option("compiler", "xelatex"),
                "letter", project().file("main.tex", """
                        \\documentclass[ngerman]{scrlttr2}
                        \\usepackage[T1]{fontenc}\\usepackage{babel}
                        \\begin{document}\\begin{letter}{Herrn Muster}\\opening{Sehr geehrter Herr Muster,}
                        Grüße aus der Donaudampfschifffahrtsgesellschaft.\\closing{Mit freundlichen Grüßen}\\end{letter}
                        \\end{document}
                        """),
                "classes", project().file("main.tex", """
                        \\documentclass{IEEEtran}
                        \\usepackage{libertinus}
                        \\begin{document}
                        \\IfFileExists{acmart.cls}{acmart}{}, \\IfFileExists{elsarticle.cls}{elsarticle}{},
                        \\IfFileExists{llncs.cls}{llncs}{}, \\IfFileExists{revtex4-2.cls}{revtex}{}, \\IfFileExists{FiraSans.sty}{fira}{}.
                        \\end{document}
                        """));
        Map<String, String> expected = Map.of("cv", "Ada Lovelace", "chinese", "你好，世界",
                "letter", "Mit freundlichen Grüßen", "classes", "acmart, elsarticle, llncs, revtex, fira.");

        projects.forEach((name, project) -> {
            RunningService.Response response = compiled("ordinary-" + name, project);
            assertThat(response.compileStatus()).as(name + ": " + response.text()).isEqualTo("success");
            String log = service.outputText(response.json(), "output.log");
            assertThat(log.lines().filter(line -> line.startsWith("! "))).as(name).isEmpty();
            // Babel finds each language's hyphenation patterns, not just its option (ngerman among them).
            assertThat(log).as(name).doesNotContain("No hyphenation patterns were preloaded");
            assertThat(service.pdfText(response.json())).as(name).contains(expected.get(name));
        });
    }

    @Test
    void refusesAnImageTheServerDoesNotAllow() {
        RunningService.Response response = service.compile("year-refused",
                document("No.").option("imageName", "texlive-sandbox:buster").json());

        assertThat(response.compileStatus()).isEqualTo("error");
        assertThat(response.compile().getString("error")).contains("texlive-sandbox:buster", "is not allowed");
    }

    @Test
    void offersBothImagesWithTheirTexLiveYearsTheCompilersAndTheGroups() {
        RunningService.Response response = service.send(HttpRequest.newBuilder(service.uri("/offer")).GET());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.raw().headers().firstValue("Content-Type")).contains("application/json");
        JsonObject offer = response.json();
        assertThat(offer.getJsonArray("compilers")).contains("pdflatex", "xelatex", "lualatex", "latex");
        JsonArray images = offer.getJsonArray("images");
        assertThat(images.getJsonObject(0).getString("name")).isEqualTo(RunningService.IMAGE);
        assertThat(images.getJsonObject(0).getString("texliveYear")).isEqualTo("2022");
        assertThat(images.getJsonObject(0).getJsonObject("tools").fieldNames()).contains("latexmk", "biber", "r-base-core");
        assertThat(images.getJsonObject(1).getString("name")).isEqualTo(TRIXIE);
        assertThat(images.getJsonObject(1).getString("texliveYear")).isEqualTo("2024");
        assertThat(images.getJsonObject(1).getString("debianRelease")).isEqualTo("trixie");
        assertThat(offer.getJsonArray("groups").stream().map(group -> ((JsonObject) group).getString("name")))
                .contains("standard", "priority");
    }

    @Test
    void refusesAnRtexProjectWithoutShellEscapeSayingWhichSettingItNeeds() {
        RunningService.Response response = compiled("knitr-refused", project().root("main.Rtex").file("main.Rtex", KNITR));

        assertThat(response.compileStatus()).isEqualTo("failure");
        assertThat(response.compile().getString("error")).contains("main.Rtex", "R (knitr)", "shell escape", "SHELL_ESCAPE");
    }

    @Test
    void runsKnitrWhereShellEscapeIsOnAndFindsTheRtexOfAMissingMainTexAsClsiDoes() {
        RunningService.Response named = compiled("knitr-named",
                project().root("main.Rtex").file("main.Rtex", KNITR).option("compileGroup", "priority"));
        RunningService.Response asClsi = compiled("knitr-as-clsi",
                project().root("main.tex").file("main.Rtex", KNITR).option("compileGroup", "priority"));

        for (RunningService.Response response : new RunningService.Response[] {named, asClsi}) {
            assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
            assertThat(service.pdfText(response.json())).contains("The answer is 42.");
        }
    }

    @Test
    void compilesAMarkdownMainFileWithPandocWithoutShellEscape() {
        RunningService.Response response = compiled("markdown", project().root("notes.md")
                .file("notes.md", "# Field notes\n\nThe heron *waits* by the weir.\n"));

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        assertThat(service.pdfText(response.json())).contains("Field notes", "The heron waits by the weir.");
    }

    @Test
    void endsEveryProcessOfACompileBeforeItsDirectoryLeavesTheSandbox() throws Exception {
        RunningService.Response response = compiled("left-behind", document("""
                \\immediate\\write18{(sleep 2; echo late > late.txt) > /dev/null 2>&1 &}
                Started a process that outlives TeX.""").option("compileGroup", "priority"));
        Thread.sleep(4_000);

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        Path projectDir = service.dataDir().resolve("compiles/p/left-behind");
        assertThat(projectDir.resolve("output.pdf")).exists();
        assertThat(projectDir.resolve("late.txt")).doesNotExist();
    }

    @Test
    void makesAMetafontOnlyFontOncePerProjectAndKeepsItOutOfTheOutputs() throws Exception {
        RunningService.Response first = compiled("metafont", project().file("main.tex", t1WithBbm("A")));
        RunningService.Response edited = compiled("metafont", project().file("main.tex", t1WithBbm("B")));

        assertThat(first.compileStatus()).as(first.text()).isEqualTo("success");
        assertThat(stderr(first)).contains("mktexpk", "bbm10");
        assertThat(edited.compileStatus()).as(edited.text()).isEqualTo("success");
        assertThat(stderr(edited)).doesNotContain("mktexpk");
        assertThat(outputPaths(edited)).allSatisfy(path -> assertThat(path).doesNotContain(".texfarm"));
        assertThat(service.pdfText(edited.json())).contains("small capitals in T1");
        assertThat(fontCache("metafont")).anyMatch(path -> path.endsWith("/bbm10.600pk"));
    }

    private static String t1WithBbm(String set) {
        return """
                \\documentclass{article}
                \\usepackage[T1]{fontenc}
                \\usepackage{bbm}
                \\begin{document}
                $\\mathbbm{1}_%s$ and \\textsc{small capitals} in T1.
                \\end{document}
                """.formatted(set);
    }

    @Test
    void buildsLuaotfloadsCacheOfAFontOncePerProject() throws Exception {
        Projects project = project().file("main.tex", """
                \\documentclass{article}
                \\usepackage{fontspec}
                \\setmainfont{Libertinus Serif}
                \\begin{document}
                Set in Libertinus.
                \\end{document}
                """).option("compiler", "lualatex");

        RunningService.Response first = compiled("luaotfload", project);

        assertThat(first.compileStatus()).as(first.text()).isEqualTo("success");
        assertThat(service.pdfText(first.json())).contains("Set in Libertinus.");
        assertThat(service.outputText(first.json(), "output.log")).doesNotContain("! ");
        assertThat(fontCache("luaotfload")).anyMatch(path -> path.endsWith("/luaotfload/libertinusserif-regular.luc"));
    }

    /** What the compile wrote to standard error (kpathsea's "Running mktexpk" lines among it), if anything. */
    private static String stderr(RunningService.Response response) {
        return outputPaths(response).contains("output.stderr") ? service.outputText(response.json(), "output.stderr") : "";
    }

    /** Every path in a project's font cache. */
    private static List<String> fontCache(String projectId) throws IOException {
        try (Stream<Path> files = Files.walk(service.dataDir().resolve("compiles/p/" + projectId + "/" + KeepBetweenRuns.FONT_CACHE))) {
            return files.map(Path::toString).toList();
        }
    }

    private static List<String> outputPaths(RunningService.Response response) {
        return response.compile().getJsonArray("outputFiles").stream().map(file -> ((JsonObject) file).getString("path")).toList();
    }

    private static final String KNITR = """
            \\documentclass{article}
            \\begin{document}
            The answer is \\rinline{6 * 7}.
            \\end{document}
            """;
}
