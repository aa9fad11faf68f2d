package org.texfarm.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfRangesTest {
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    @TempDir
    Path dir;

    /** A PDF-shaped file: objects of the given stream sizes, one after another, and the offsets of each. */
    record Pdf(byte[] bytes, List<Long> offsets) {
        static Pdf of(int... streamSizes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("%PDF-1.5\n".getBytes(StandardCharsets.US_ASCII));
            Long[] offsets = new Long[streamSizes.length];
            for (int i = 0; i < streamSizes.length; i++) {
                offsets[i] = (long) out.size();
                byte[] stream = new byte[streamSizes[i]];
                Arrays.fill(stream, (byte) ('a' + streamSizes[i] % 26));
                out.writeBytes(((i + 1) + " 0 obj\n<< /Length " + streamSizes[i] + " >>\nstream\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(stream);
                out.writeBytes("\nendstream\nendobj\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("xref\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
            return new Pdf(out.toByteArray(), List.of(offsets));
        }

        /** qpdf's --show-xref for it, with an object in an object stream among them. */
        String xref() {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < offsets.size(); i++) {
                text.append(i + 1).append("/0: uncompressed; offset = ").append(offsets.get(i)).append('\n');
            }
            return text.append(offsets.size() + 1).append("/0: compressed; stream = 1, index = 0\n").toString();
        }
    }

    private Path write(Pdf pdf) throws IOException {
        return Files.write(dir.resolve("output.pdf"), pdf.bytes());
    }

    private static String sha256(byte[] bytes, long start, long end) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(bytes, (int) start, (int) end)));
    }

    @Test
    void coversEachLargeUncompressedObjectFromItsObjKeywordToTheNextAndHashesThoseBytes() throws Exception {
        Pdf pdf = Pdf.of(5000, 3000, 100);

        PdfRanges.Result result = PdfRanges.compute(write(pdf), pdf.xref(), 1024, NO_DEADLINE, System::nanoTime);

        assertThat(result.timedOut()).isFalse();
        assertThat(result.ranges()).hasSize(2);
        PdfRanges.Range first = result.ranges().getFirst();
        assertThat(first.objectId()).isEqualTo("1 0 ");
        assertThat(first.start()).isEqualTo(pdf.offsets().get(0) + "1 0 ".length());
        assertThat(first.end()).isEqualTo(pdf.offsets().get(1));
        assertThat(first.hash()).isEqualTo(sha256(pdf.bytes(), first.start(), first.end()));
        assertThat(new String(pdf.bytes(), (int) first.start(), 3, StandardCharsets.US_ASCII)).isEqualTo("obj");
    }

    @Test
    void leavesOutObjectsBelowTheMinimumAndTheLastObject() throws Exception {
        Pdf pdf = Pdf.of(200, 5000, 5000);

        List<PdfRanges.Range> ranges = PdfRanges.compute(write(pdf), pdf.xref(), 1024, NO_DEADLINE, System::nanoTime).ranges();

        // The first is too small; the last has no next object to end it.
        assertThat(ranges).extracting(PdfRanges.Range::objectId).containsExactly("2 0 ");
    }

    @Test
    void keepsAnObjectsHashWhenAnEarlierObjectChangesSize() throws Exception {
        Pdf before = Pdf.of(100, 5000, 10);
        Pdf after = Pdf.of(300, 5000, 10);

        PdfRanges.Range image = PdfRanges.compute(write(before), before.xref(), 1024, NO_DEADLINE, System::nanoTime).ranges().getFirst();
        PdfRanges.Range moved = PdfRanges.compute(write(after), after.xref(), 1024, NO_DEADLINE, System::nanoTime).ranges().getFirst();

        assertThat(moved.start()).isNotEqualTo(image.start());
        assertThat(moved.hash()).isEqualTo(image.hash());
    }

    @Test
    void stopsAtTheDeadlineWithTheRangesFoundSoFar() throws Exception {
        Pdf pdf = Pdf.of(5000, 5000, 5000, 10);
        AtomicLong clock = new AtomicLong();

        // Each look at the clock is a second later: the deadline has passed by the third range.
        PdfRanges.Result result = PdfRanges.compute(write(pdf), pdf.xref(), 1024, 1_500_000_000L,
                () -> clock.getAndAdd(1_000_000_000L));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.ranges()).extracting(PdfRanges.Range::objectId).containsExactly("1 0 ", "2 0 ");
    }

    @Test
    void refusesAnXrefThatDoesNotDescribeThePdf() throws Exception {
        Pdf pdf = Pdf.of(5000, 10);
        Path file = write(pdf);

        assertThatThrownBy(() -> PdfRanges.compute(file, "1/0: compressed; stream = 2, index = 0\n", 1024, NO_DEADLINE, System::nanoTime))
                .isInstanceOf(PdfRanges.MalformedXrefException.class).hasMessageContaining("no uncompressed object");
        assertThatThrownBy(() -> PdfRanges.compute(file, "1/0: uncompressed; offset = 0\n2/0: uncompressed; offset = 999999\n",
                1024, NO_DEADLINE, System::nanoTime))
                .isInstanceOf(PdfRanges.MalformedXrefException.class).hasMessageContaining("past the PDF's");
        assertThatThrownBy(() -> PdfRanges.compute(file, "1/0: uncompressed; offset = 3000\n2/0: uncompressed; offset = 4500\n",
                1024, NO_DEADLINE, System::nanoTime))
                .isInstanceOf(PdfRanges.MalformedXrefException.class).hasMessageContaining("no 'obj'");
    }

    @Test
    void refusesAnXrefOfMoreEntriesThanTheCap() {
        String xref = "1/0: uncompressed; offset = 1\n".repeat(PdfRanges.MAX_ENTRIES + 1);

        assertThatThrownBy(() -> PdfRanges.uncompressedOffsets(xref)).isInstanceOf(PdfRanges.MalformedXrefException.class)
                .hasMessageContaining("more than");
    }
}
