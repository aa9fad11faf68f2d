package org.texfarm.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.texfarm.logs.LogAnnotation.Level;

class TexLogParserTest {
    private static final String CLASSIC = """
            This is pdfTeX, Version 3.141592653-2.6-1.40.24 (TeX Live 2022/Debian) (preloaded format=pdflatex 2023.1.1)
            (./main.tex
            LaTeX2e <2022-11-01> patch level 1
            (/usr/share/texlive/texmf-dist/tex/latex/base/article.cls
            Document Class: article 2022/07/02 v1.4n Standard LaTeX document class
            (/usr/share/texlive/texmf-dist/tex/latex/base/size10.clo))
            (./chapters/intro.tex
            ! Undefined control sequence.
            l.3 Some text \\foo
                               (with a parenthesis in the source
            )
            LaTeX Warning: Reference `fig:missing' on page 1 undefined on input line 12.

            LaTeX Warning: Citation `knuth84' on page 1 undefined on input line 14.

            Overfull \\hbox (15.23pt too wide) in paragraph at lines 20--22
            []\\OT1/cmr/m/n/10 A very long line (with parentheses
             []

            Package hyperref Warning: Token not allowed in a PDF string (Unicode):
            (hyperref)                removing `\\textbf' on input line 25.

            LaTeX Warning: There were undefined references.

            LaTeX Warning: Label(s) may have changed. Rerun to get cross-references right.

             )
            """;

    @Test
    void readsErrorsWarningsAndBadBoxesWithTheirFilesAndLines() {
        List<LogAnnotation> annotations = TexLogParser.parse(CLASSIC);

        assertThat(annotations).extracting(LogAnnotation::level, LogAnnotation::file, LogAnnotation::line,
                LogAnnotation::message).containsExactly(
                tuple(Level.ERROR, "chapters/intro.tex", 3, "Undefined control sequence."),
                tuple(Level.WARNING, "main.tex", 12, "Reference `fig:missing' on page 1 undefined on input line 12."),
                tuple(Level.WARNING, "main.tex", 14, "Citation `knuth84' on page 1 undefined on input line 14."),
                tuple(Level.TYPESETTING, "main.tex", 20, "Overfull \\hbox (15.23pt too wide)"),
                tuple(Level.WARNING, "main.tex", 25,
                        "hyperref: Token not allowed in a PDF string (Unicode): removing `\\textbf' on input line 25."),
                tuple(Level.WARNING, "main.tex", null, "There were undefined references."),
                tuple(Level.WARNING, "main.tex", null,
                        "Label(s) may have changed. Rerun to get cross-references right."));
        assertThat(annotations.getFirst().excerpt()).startsWith("! Undefined control sequence.\nl.3 Some text \\foo");
    }

    @Test
    void readsFileLineErrorsAndLeavesOutTheEmergencyStopThatFollowsOne() {
        String log = """
                (./main.tex (./sections/a.tex
                ./sections/a.tex:7: Undefined control sequence.
                l.7 \\oops
                          
                ./main.tex:3: LaTeX Error: File `missing.sty' not found.
                
                Type X to quit or <RETURN> to proceed,
                or enter new name. (Default extension: sty)
                
                Enter file name: 
                ./main.tex:3: Emergency stop.
                <read *> 
                
                l.3 \\usepackage
                               {missing}^^M
                *** (cannot \\read from terminal in nonstop modes)
                """;

        assertThat(TexLogParser.parse(log)).extracting(LogAnnotation::level, LogAnnotation::file, LogAnnotation::line,
                LogAnnotation::message).containsExactly(
                tuple(Level.ERROR, "sections/a.tex", 7, "Undefined control sequence."),
                tuple(Level.ERROR, "main.tex", 3, "LaTeX Error: File `missing.sty' not found."));
    }

    @Test
    void findsTheLineOfAClassicErrorAfterTheContextAndReadsRunawayArguments() {
        String log = """
                (./main.tex
                Runaway argument?
                {Some bold text that never ends \\par 
                ! Paragraph ended before \\textbf was complete.
                <to be read again> 
                                   \\par 
                l.9 
                    
                ! LaTeX Error: File `missing.sty' not found.

                Type X to quit or <RETURN> to proceed,
                or enter new name. (Default extension: sty)

                Enter file name: 
                ! Emergency stop.
                <read *> 
                         
                l.2 \\usepackage
                               {missing}^^M
                """;

        List<LogAnnotation> annotations = TexLogParser.parse(log);

        assertThat(annotations).extracting(LogAnnotation::message, LogAnnotation::line).containsExactly(
                tuple("Runaway argument: Paragraph ended before \\textbf was complete.", 9),
                tuple("LaTeX Error: File `missing.sty' not found.", 2));
        assertThat(annotations.getFirst().excerpt()).startsWith("Runaway argument?");
    }

    @Test
    void joinsLinesTexWrappedAtSeventyNineColumns() {
        String path = "(./a-very-long-directory-name/with/several/levels/of/nesting/and-a-longer-files";
        assertThat(path).hasSize(TexLogParser.WRAP_COLUMN);
        String log = path + "\nname.tex\n! Undefined control sequence.\nl.4 \\x\n";

        assertThat(TexLogParser.parse(log)).singleElement().satisfies(error -> {
            assertThat(error.file()).isEqualTo(
                    "a-very-long-directory-name/with/several/levels/of/nesting/and-a-longer-filesname.tex");
            assertThat(error.line()).isEqualTo(4);
        });
    }

    @Test
    void followsNestedFilesAndIgnoresParenthesesAroundOtherText() {
        Deque<String> files = new ArrayDeque<>();

        TexLogParser.followFiles("(./main.tex (see the transcript file) (./a.tex (/usr/share/x.sty) (./b.tex (not a file",
                files);

        assertThat(files).containsExactly("", "b.tex", "a.tex", "main.tex");
        TexLogParser.followFiles("))", files);
        assertThat(files).containsExactly("a.tex", "main.tex");
    }

    @Test
    void readsFontWarningsAndBadBoxesInTheOutputRoutine() {
        String log = """
                (./main.tex
                LaTeX Font Warning: Font shape `OT1/cmr/bx/sc' undefined
                (Font)              using `OT1/cmr/bx/n' instead on input line 8.

                Overfull \\vbox (3.0pt too high) has occurred while \\output is active []

                Underfull \\hbox (badness 10000) in paragraph at lines 30--31

                pdfTeX warning (ext4): destination with the same identifier (name{page.1}) has been already used, duplicate ignored
                <to be read again>
                """;

        assertThat(TexLogParser.parse(log)).extracting(LogAnnotation::level, LogAnnotation::line, LogAnnotation::message)
                .containsExactly(
                        tuple(Level.WARNING, 8, "Font: Font shape `OT1/cmr/bx/sc' undefined using `OT1/cmr/bx/n' instead on input line 8."),
                        tuple(Level.TYPESETTING, null, "Overfull \\vbox (3.0pt too high)"),
                        tuple(Level.TYPESETTING, 30, "Underfull \\hbox (badness 10000)"),
                        tuple(Level.WARNING, null, "destination with the same identifier (name{page.1}) has been already used,"
                                + " duplicate ignored"));
    }

    @Test
    void readsBibtexAndBiberLogs() {
        String bibtex = """
                This is BibTeX, Version 0.99d (TeX Live 2022/Debian)
                Warning--I didn't find a database entry for "knuth84"
                Warning--empty journal in lamport94
                --line 12 of file refs.bib
                I was expecting a `,' or a `}'---line 20 of file ./refs.bib
                I couldn't open database file missing.bib
                (There were 2 error messages)
                """;
        String biber = """
                [0] Config.pm:307> INFO - This is Biber 2.19
                [101] Biber.pm:4419> WARN - Duplicate entry key 'a' in file 'refs.bib', skipping ...
                [102] Utils.pm:409> ERROR - BibTeX subsystem: refs.bib, line 4, syntax error
                """;

        assertThat(BibLogParser.parse(bibtex)).extracting(LogAnnotation::level, LogAnnotation::file, LogAnnotation::line,
                LogAnnotation::message).containsExactly(
                tuple(Level.WARNING, null, null, "I didn't find a database entry for \"knuth84\""),
                tuple(Level.WARNING, "refs.bib", 12, "empty journal in lamport94"),
                tuple(Level.ERROR, "refs.bib", 20, "I was expecting a `,' or a `}'"),
                tuple(Level.ERROR, "missing.bib", null, "I couldn't open database file missing.bib"));
        assertThat(BibLogParser.parse(biber)).extracting(LogAnnotation::level, LogAnnotation::message).containsExactly(
                tuple(Level.WARNING, "Duplicate entry key 'a' in file 'refs.bib', skipping ..."),
                tuple(Level.ERROR, "BibTeX subsystem: refs.bib, line 4, syntax error"));
    }

    @Test
    void stopsAtItsLimitInARunawayLog() {
        String log = "! Undefined control sequence.\nl.1 \\x\n".repeat(5000);

        assertThat(TexLogParser.parse(log)).hasSize(TexLogParser.MAX_ANNOTATIONS);
    }

    static Stream<String> arbitraryLogs() {
        Random random = new Random(20261126L);
        List<String> pieces = List.of("(", ")", "(./a.tex", "! ", "l.", "l.99999999999", "./x.tex:", ":12: ", "Overfull \\hbox (",
                "Underfull \\vbox (badness 10000) in paragraph at lines ", "--", "LaTeX Warning: ", "Package x Warning: ",
                "(x)", "on input line ", "Runaway argument?", "\n", "\n\n", "\r\n", " ", "\"", "(\"", "99999999999999999999",
                "Warning--", "---line 5 of file ", "[3] a.pm:1> WARN - ", "\u0000", "\ud800", "é", "x".repeat(79));
        return IntStream.range(0, 2000).mapToObj(i -> {
            StringBuilder log = new StringBuilder();
            int parts = random.nextInt(60);
            for (int p = 0; p < parts; p++) {
                log.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x3000)
                        : pieces.get(random.nextInt(pieces.size())));
            }
            return log.toString();
        });
    }

    @ParameterizedTest
    @MethodSource("arbitraryLogs")
    void neverFailsOnArbitraryText(String log) {
        List<LogAnnotation> tex = TexLogParser.parse(log);
        List<LogAnnotation> bib = BibLogParser.parse(log);

        assertThat(tex).hasSizeLessThanOrEqualTo(TexLogParser.MAX_ANNOTATIONS).allSatisfy(annotation -> {
            assertThat(annotation.level()).isNotNull();
            assertThat(annotation.message()).isNotNull();
            assertThat(annotation.line() == null || annotation.line() >= 0).isTrue();
        });
        assertThat(bib).allSatisfy(annotation -> assertThat(annotation.message()).isNotNull());
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
