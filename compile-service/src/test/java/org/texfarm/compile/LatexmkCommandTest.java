package org.texfarm.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.texfarm.config.ShellEscape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.texfarm.InvalidRequestException;
import org.texfarm.config.CompileGroup;
import org.texfarm.config.ServiceConfig;
import org.texfarm.sync.ResourcePath;

class LatexmkCommandTest {
    private static final CompileGroup GROUP = ServiceConfig.fromEnvironment(Map.of("DATA_DIR", "/tmp/unused"))
            .groups().defaultGroup();

    private static CompileOptions options(Engine engine, boolean stopOnFirstError, boolean draft, List<String> flags) {
        return new CompileOptions(GROUP, engine, Duration.ofSeconds(60), stopOnFirstError, draft, flags, "image", null, false,
                CheckMode.NONE, CompileOptions.PdfCaching.OFF);
    }

    private static final ShellEscape RESTRICTED = ShellEscape.RESTRICTED;

    private static ResourcePath path(String text) {
        return ResourcePath.parse(text, 100, 10);
    }

    @Test
    void runsLatexmkWithTheServerRcOnlyInTheMainFilesFolderWithOutputsAtTheRoot() {
        List<String> command = LatexmkCommand.build(options(Engine.PDFLATEX, false, false, List.of()), path("main.tex"), RESTRICTED, false);

        assertThat(command).containsExactly("latexmk", "-norc", "-r", "/etc/latexmk/sandbox.rc", "-pdf",
                "-cd", "-outdir=/slot/work", "-auxdir=/slot/work",
                "-jobname=output", "-interaction=batchmode", "-synctex=1", "-time", "-f", "-shell-restricted", "main.tex");
    }

    @Test
    void compilesTheTexFileALatexmkRuleMakesFromAnRorMarkdownMainFile() {
        for (String root : List.of("report.Rtex", "report.Rnw", "report.md", "report.Rmd")) {
            assertThat(LatexmkCommand.build(options(Engine.PDFLATEX, false, false, List.of()), path("doc/" + root), RESTRICTED, false)
                    .getLast()).isEqualTo("doc/report.tex");
        }
        assertThat(LatexmkCommand.build(options(Engine.PDFLATEX, false, false, List.of()), path("notes.md.tex"), RESTRICTED, false)
                .getLast()).isEqualTo("notes.md.tex");
    }

    @Test
    void findsTheRorMarkdownSourceOfAMissingMainTexFileAsClsisImageDoes() {
        assertThat(LatexmkCommand.source(path("main.tex"), Set.of("main.Rtex"))).isEqualTo(path("main.Rtex"));
        assertThat(LatexmkCommand.source(path("doc/main.tex"), Set.of("doc/main.md", "main.Rnw"))).isEqualTo(path("doc/main.md"));
        assertThat(LatexmkCommand.source(path("main.tex"), Set.of("main.Rnw", "main.md"))).isEqualTo(path("main.Rnw"));
        assertThat(LatexmkCommand.source(path("main.tex"), Set.of("main.tex", "main.Rtex"))).isEqualTo(path("main.tex"));
        assertThat(LatexmkCommand.source(path("main.tex"), Set.of("other.Rtex"))).isEqualTo(path("main.tex"));
        assertThat(LatexmkCommand.source(path("main.Rtex"), Set.of())).isEqualTo(path("main.Rtex"));
    }

    @Test
    void saysThatOnlyRSourcesNeedFullShellEscape() {
        for (String root : List.of("main.Rtex", "doc/main.Rnw", "main.Rmd")) {
            for (ShellEscape level : List.of(ShellEscape.OFF, RESTRICTED)) {
                assertThat(LatexmkCommand.needsShellEscape(path(root), level)).get(InstanceOfAssertFactories.STRING)
                        .contains("'" + root + "'", "R (knitr)", "full shell escape", "which is " + level.label(),
                                "SHELL_ESCAPE", "shellEscape");
            }
            assertThat(LatexmkCommand.needsShellEscape(path(root), ShellEscape.FULL)).isEmpty();
        }
        for (String root : List.of("main.tex", "main.md", "main.Rtex.tex")) {
            assertThat(LatexmkCommand.needsShellEscape(path(root), ShellEscape.OFF)).isEmpty();
        }
    }

    @Test
    void mapsEachEngineToItsLatexmkOption() {
        assertThat(LatexmkCommand.build(options(Engine.LATEX, false, false, List.of()), path("a.tex"), RESTRICTED, false)).contains("-pdfdvi");
        assertThat(LatexmkCommand.build(options(Engine.XELATEX, false, false, List.of()), path("a.tex"), RESTRICTED, false)).contains("-xelatex");
        assertThat(LatexmkCommand.build(options(Engine.LUALATEX, false, false, List.of()), path("a.tex"), RESTRICTED, false))
                .contains("-lualatex", "-latexoption=--nosocket");
    }

    @Test
    void addsStopOnFirstErrorDraftFlagsAndTheShellEscapeLevelsFlag() {
        List<String> command = LatexmkCommand.build(options(Engine.PDFLATEX, true, true, List.of("-file-line-error")),
                path("dir/root.tex"), ShellEscape.FULL, false);

        assertThat(LatexmkCommand.build(options(Engine.PDFLATEX, false, false, List.of()), path("a.tex"), ShellEscape.OFF, false))
                .contains("-no-shell-escape").doesNotContain("-shell-escape", "-shell-restricted");
        assertThat(command).contains("-halt-on-error", "-shell-escape", "-latexoption=-file-line-error")
                .doesNotContain("-f", "-no-shell-escape", "-shell-restricted")
                .anySatisfy(arg -> assertThat(arg).startsWith("-usepretex=").contains("{draft}{graphicx}"));
        assertThat(command.getLast()).isEqualTo("dir/root.tex");
    }

    @Test
    void runsChktexFirstWhenAskedAndOnlyChktexToValidate() {
        CompileOptions plain = options(Engine.PDFLATEX, false, false, List.of());
        List<String> latexmk = LatexmkCommand.build(plain, path("main.tex"), RESTRICTED, false);
        CompileOptions silent = withCheck(plain, CheckMode.SILENT);
        CompileOptions validate = withCheck(plain, CheckMode.VALIDATE);

        List<String> checked = LatexmkCommand.build(silent, path("main.tex"), RESTRICTED, false);
        List<String> validated = LatexmkCommand.build(validate, path("main.tex"), RESTRICTED, false);

        assertThat(checked.subList(0, 2)).containsExactly("sh", "-c");
        assertThat(checked.get(2)).contains("chktex", "-o output.chktex", "ulimit -t 5 -v 64000");
        assertThat(checked.subList(3, 6)).containsExactly("check", "silent", "main.tex");
        assertThat(checked.subList(6, checked.size())).isEqualTo(latexmk);
        assertThat(validated).hasSize(6).doesNotContain("latexmk");
        assertThat(checked).as("the launcher reads the command from one line").noneMatch(arg -> arg.contains("\n"));
        assertThat(LatexmkCommand.build(silent, path("main.Rtex"), RESTRICTED, false)).as("only LaTeX files are checked")
                .first().isEqualTo("latexmk");
    }

    private static CompileOptions withCheck(CompileOptions options, CheckMode check) {
        return new CompileOptions(options.group(), options.engine(), options.timeout(), options.stopOnFirstError(),
                options.draft(), options.flags(), options.image(), options.buildId(), options.clean(), check,
                options.pdfCaching());
    }

    @Test
    void loadsThePrecompiledPreambleWhenAskedThroughTheServerRcsOwnRun() {
        List<String> without = LatexmkCommand.build(options(Engine.PDFLATEX, false, false, List.of()), path("main.tex"), RESTRICTED, false);
        List<String> with = LatexmkCommand.build(options(Engine.PDFLATEX, false, false, List.of()), path("main.tex"), RESTRICTED, true);

        assertThat(without).noneMatch(arg -> arg.startsWith("-pdflatex="));
        // The rc's run_latex makes R and Markdown roots and runs METAFONT and MetaPost sources.
        assertThat(with).contains("-pdflatex=internal run_latex pdflatex -fmt=texfarm-preamble %O %S");
        assertThat(with.getLast()).isEqualTo("main.tex");
    }

    @Test
    void dumpsAPreambleInIniModeWithTheRequestFlagsAndTheGroupsShellEscapeLevel() {
        List<String> dump = LatexmkCommand.dumpPreamble(options(Engine.PDFLATEX, false, false, List.of("-8bit")),
                path("src/main.tex"), RESTRICTED);

        assertThat(LatexmkCommand.dumpPreamble(options(Engine.PDFLATEX, false, false, List.of()), path("main.tex"), ShellEscape.OFF))
                .contains("-no-shell-escape");
        assertThat(dump).startsWith("pdflatex", "-ini", "-jobname=output")
                .contains("-recorder", "-shell-restricted", "-8bit")
                .endsWith("&pdflatex", "mylatexformat.ltx", "src/main.tex");
    }


    @ValueSource(strings = {"-file-line-error", "-synctex=-1", "-interaction=nonstopmode", "-output-comment=Made.by:me"})
    void allowsKnownHarmlessFlags(String flag) {
        assertThat(LatexmkCommand.checkFlag(flag)).isEqualTo(flag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-shell-escape", "-enable-write18", "-output-directory=/tmp", "-interaction=errorstopmode",
            "-output-comment=$(id)", "-output-comment=a b", "--jobname=x", "-ini"})
    void refusesOtherFlags(String flag) {
        assertThatThrownBy(() -> LatexmkCommand.checkFlag(flag)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(flag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-main.tex", "$(id).tex", "a`b`.tex", "quote\".tex", "bang!.tex"})
    void refusesRootNamesThatAShellOrLatexmkWouldInterpret(String root) {
        assertThatThrownBy(() -> LatexmkCommand.checkRoot(path(root))).isInstanceOf(InvalidRequestException.class);
    }
}
