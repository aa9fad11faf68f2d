package org.texfarm.synctex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SyncTeX reader and both queries on a small file whose answers are worked out by hand
 * (1 bp = 65781.76 sp; the tool computes in single precision, so to 1e-4). Agreement with TeX Live's synctex tool on real builds is SyncTexIT's.
 */
class SyncTexTest {
    private static final double SP_PER_BP = 65781.76;
    static final String FILE = """
            SyncTeX Version:1
            Input:1:/slot/work/./main.tex
            Input:2:/usr/share/texlive/texmf-dist/tex/latex/base/article.cls
            Input:4:/slot/work/../escaped.tex
            Output:pdf
            Magnification:1000
            Unit:1
            X Offset:0
            Y Offset:0
            Content:
            !200
            {1
            [1,3:4736286,46220574:26673152,41484288,0
            (1,5:4736286,10000000:6578176,600000,200000
            x1,5:4736286,10000000
            k1,5:5394104,10000000:657818
            x1,6:6578176,10000000
            g1,6:7236000,10000000
            )
            (2,100:4736286,20000000:6578176,600000,200000
            x2,100:5000000,20000000
            )
            (4,1:4736286,30000000:6578176,600000,200000
            x4,1:5000000,30000000
            )
            ]
            }1
            Input:3:/slot/work/./chapters/late.tex
            !300
            {2
            [3,1:4736286,46220574:26673152,41484288,0
            (3,2:4736286,=:6578176,600000,200000
            x3,2:5000000,=
            )
            ]
            }2
            Postamble:
            Count:20
            !400
            Post scriptum:
            """;

    private static SyncTex read(String text, long maxRecords) throws IOException {
        return SyncTex.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "/slot/work", maxRecords);
    }

    private static SyncTex example() throws IOException {
        return read(FILE, 1000);
    }

    private static double bp(int scaledPoints) {
        return scaledPoints / SP_PER_BP;
    }

    @Test
    void givesTheLineBoxOfEachLineInBigPointsFromTheTopLeftCorner() throws IOException {
        List<PdfBox> boxes = example().boxesFor("main.tex", 5);

        assertThat(boxes).hasSize(1);
        PdfBox box = boxes.getFirst();
        assertThat(box.page()).isEqualTo(1);
        assertThat(box.h()).isCloseTo(72.0, within(1e-4));
        assertThat(box.v()).as("the bottom: baseline plus depth").isCloseTo(bp(10_200_000), within(1e-4));
        assertThat(box.width()).isCloseTo(100.0, within(1e-4));
        assertThat(box.height()).as("height plus depth").isCloseTo(bp(800_000), within(1e-4));
        assertThat(example().boxesFor("main.tex", 6)).containsExactly(box);
    }

    @Test
    void triesTheNearestLinesWhenALineMadeNothingAndStopsAtTheLastLineOfTheFile() throws IOException {
        SyncTex syncTex = example();
        List<PdfBox> line5 = syncTex.boxesFor("main.tex", 5);

        assertThat(syncTex.boxesFor("main.tex", 1)).isEqualTo(line5);
        assertThat(syncTex.boxesFor("main.tex", 4)).isEqualTo(line5);
        assertThat(syncTex.boxesFor("main.tex", 500)).as("past the end: the last line").isEqualTo(syncTex.boxesFor("main.tex", 6));
    }

    @Test
    void readsInputsDeclaredBetweenPagesAndVerticalPositionsGivenAsTheLastOnes() throws IOException {
        List<PdfBox> boxes = example().boxesFor("chapters/late.tex", 2);

        assertThat(boxes).hasSize(1);
        assertThat(boxes.getFirst().page()).isEqualTo(2);
        assertThat(boxes.getFirst().v()).as("v given as '=': the vbox's").isCloseTo(bp(46_220_574 + 200_000), within(1e-4));
    }

    @Test
    void answersNothingForFilesOutsideTheProjectOrNotInTheCompile() throws IOException {
        SyncTex syncTex = example();

        assertThat(syncTex.boxesFor("unknown.tex", 1)).isEmpty();
        assertThat(syncTex.boxesFor("escaped.tex", 1)).isEmpty();
        assertThat(syncTex.boxesFor("usr/share/texlive/texmf-dist/tex/latex/base/article.cls", 100)).isEmpty();
    }

    @Test
    void givesTheNodesLeftAndRightOfAPointInALineBox() throws IOException {
        List<SourcePosition> positions = example().sourceAt(1, 90, bp(10_000_000));

        assertThat(positions).containsExactly(new SourcePosition("main.tex", 5, -1), new SourcePosition("main.tex", 6, -1));
    }

    @Test
    void givesTheNearestNodeOfThePageWhenNoLineBoxHoldsThePoint() throws IOException {
        List<SourcePosition> positions = example().sourceAt(1, 300, bp(10_000_000) + 20);

        assertThat(positions).containsExactly(new SourcePosition("main.tex", 6, -1));
    }

    @Test
    void leavesOutPlacesInFilesOutsideTheProject() throws IOException {
        SyncTex syncTex = example();

        assertThat(syncTex.sourceAt(1, 80, bp(20_000_000))).as("in article.cls").isEmpty();
        assertThat(syncTex.sourceAt(1, 80, bp(30_000_000))).as("in ../escaped.tex").isEmpty();
        assertThat(syncTex.sourceAt(3, 80, 80)).as("a page that is not there").isEmpty();
    }

    @Test
    void refusesAFileThatIsNotSyncTex() {
        assertThatThrownBy(() -> read("%PDF-1.5\n", 1000)).isInstanceOf(IOException.class).hasMessageContaining("not a SyncTeX file");
    }

    @Test
    void refusesMoreRecordsOrLinesThanItsBound() {
        assertThatThrownBy(() -> read(FILE, 10)).isInstanceOf(IOException.class).hasMessageContaining("more than 10 records");
        String anchors = FILE.replace("Content:\n", "Content:\n" + "!1\n".repeat(200_000));
        assertThatThrownBy(() -> read(anchors, 10)).isInstanceOf(IOException.class).hasMessageContaining("lines");
    }

    @Test
    void refusesBoxesNestedDeeperThanTeXCanMake() {
        String deep = FILE.replace("{1\n", "{1\n" + "(1,5:0,0:0,0,0\n".repeat(SyncTexReader.MAX_DEPTH + 1));

        assertThatThrownBy(() -> read(deep, 100_000)).isInstanceOf(IOException.class).hasMessageContaining("nested deeper");
    }

    @Test
    void answersInBoxesNestedAsDeepAsItReads() throws IOException {
        int depth = SyncTexReader.MAX_DEPTH - 1;
        String deep = FILE.replace("{1\n", "{1\n" + "(1,5:4736286,10000000:6578176,600000,200000\n".repeat(depth)
                + "x1,5:5000000,10000000\n" + ")\n".repeat(depth));

        SyncTex syncTex = read(deep, 100_000);

        assertThat(syncTex.boxesFor("main.tex", 5)).isNotEmpty();
        assertThat(syncTex.sourceAt(1, 80, bp(10_000_000))).contains(new SourcePosition("main.tex", 5, -1));
    }

    @Test
    void cutsOverlongLinesInsteadOfHoldingThem() throws IOException {
        String longName = FILE.replace("Input:1:/slot/work/./main.tex", "Input:1:/slot/work/" + "x".repeat(1_000_000) + ".tex");

        SyncTex syncTex = read(longName, 1000);

        assertThat(syncTex.boxesFor("chapters/late.tex", 2)).hasSize(1);
    }

    static Stream<String> damagedFiles() {
        Random random = new Random(20261126L);
        List<String> lines = FILE.lines().toList();
        List<String> pieces = List.of("(", ")", "[", "]", "{", "}", "x", "k", "g", "$", "r", "h", "v", ",", ":", "=", "-",
                "2147483647", "-2147483648", "99999999999", "0", "1", "Input:", "Content:", "\u0000", "é");
        return IntStream.range(0, 1000).mapToObj(i -> {
            List<String> damaged = new ArrayList<>(lines);
            for (int change = random.nextInt(6); change >= 0; change--) {
                int at = random.nextInt(damaged.size());
                switch (random.nextInt(4)) {
                    case 0 -> damaged.remove(at);
                    case 1 -> damaged.add(at, damaged.get(random.nextInt(damaged.size())));
                    case 2 -> damaged.set(at, damaged.get(at).substring(0, random.nextInt(damaged.get(at).length() + 1)));
                    default -> {
                        StringBuilder line = new StringBuilder();
                        for (int p = random.nextInt(12); p >= 0; p--) {
                            line.append(pieces.get(random.nextInt(pieces.size())));
                        }
                        damaged.add(at, line.toString());
                    }
                }
            }
            return String.join("\n", damaged);
        });
    }

    @ParameterizedTest
    @MethodSource("damagedFiles")
    void neverFailsOnADamagedFileButToReadIt(String file) {
        SyncTex syncTex;
        try {
            syncTex = read(file, 1000);
        } catch (IOException e) {
            return;
        }
        Random random = new Random(file.hashCode());
        for (int query = 0; query < 20; query++) {
            assertThat(syncTex.boxesFor(random.nextBoolean() ? "main.tex" : "chapters/late.tex", random.nextInt(200) - 50))
                    .allSatisfy(box -> assertThat(box.page()).isNotNull());
            assertThat(syncTex.sourceAt(random.nextInt(3), random.nextDouble() * 700 - 50, random.nextDouble() * 900 - 50))
                    .allSatisfy(position -> assertThat(position.file().split("/")).doesNotContain("..", ".", "")
                            .allSatisfy(part -> assertThat(part).isNotBlank()));
        }
    }
}
