package org.texfarm.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteRangesTest {
    private static ByteRanges.Parts parts(String header, long size) {
        return (ByteRanges.Parts) ByteRanges.parse(header, size);
    }

    @Test
    void readsTheThreeFormsOfARangeWithinTheFile() {
        assertThat(parts("bytes=0-4", 100).parts()).containsExactly(new ByteRanges.Part(0, 4));
        assertThat(parts("bytes=90-", 100).parts()).containsExactly(new ByteRanges.Part(90, 99));
        assertThat(parts("bytes=-10", 100).parts()).containsExactly(new ByteRanges.Part(90, 99));
        assertThat(parts("bytes=50-1000", 100).parts()).containsExactly(new ByteRanges.Part(50, 99));
        assertThat(parts("bytes=-1000", 100).parts()).containsExactly(new ByteRanges.Part(0, 99));
        assertThat(parts("bytes=0-99999999999999999999999", 100).parts()).containsExactly(new ByteRanges.Part(0, 99));
    }

    @Test
    void keepsSeveralRangesInTheOrderAskedAndDropsThoseStartingPastTheEnd() {
        assertThat(parts("bytes=10-19, 0-4,200-300,-5", 100).parts()).containsExactly(
                new ByteRanges.Part(10, 19), new ByteRanges.Part(0, 4), new ByteRanges.Part(95, 99));
    }

    @Test
    void answers416WhenNoRangeIsWithinTheFile() {
        assertThat(ByteRanges.parse("bytes=100-", 100)).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(ByteRanges.parse("bytes=200-300,150-", 100)).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(ByteRanges.parse("bytes=-0", 100)).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(ByteRanges.parse("bytes=0-", 0)).isInstanceOf(ByteRanges.Unsatisfiable.class);
    }

    @Test
    void servesTheWholeFileForNoHeaderAnotherUnitAMalformedOneOrTooManyParts() {
        assertThat(ByteRanges.parse(null, 100)).isInstanceOf(ByteRanges.Whole.class);
        assertThat(ByteRanges.parse("items=0-4", 100)).isInstanceOf(ByteRanges.Whole.class);
        assertThat(ByteRanges.parse("bytes=a-b", 100)).isInstanceOf(ByteRanges.Whole.class);
        assertThat(ByteRanges.parse("bytes=-", 100)).isInstanceOf(ByteRanges.Whole.class);
        assertThat(ByteRanges.parse("bytes=0-4,", 100)).isInstanceOf(ByteRanges.Whole.class);
        assertThat(ByteRanges.parse("bytes=" + "0-1,".repeat(ByteRanges.MAX_PARTS) + "2-3", 100))
                .isInstanceOf(ByteRanges.Whole.class);
    }

    @Test
    void laysOutSeveralRangesByteForByteAsNginxDoes(@TempDir Path temp) throws Exception {
        Path file = Files.writeString(temp.resolve("output.pdf"), "0123456789abcdefghij");

        MultipartRanges.Body body = MultipartRanges.read(file, parts("bytes=0-3,10-11", 20), 20, "application/pdf");

        assertThat(body.boundary()).matches("[0-9]{20}");
        String b = body.boundary();
        assertThat(body.bytes().toString(StandardCharsets.US_ASCII)).isEqualTo(
                "\r\n--" + b + "\r\nContent-Type: application/pdf\r\nContent-Range: bytes 0-3/20\r\n\r\n0123"
                + "\r\n--" + b + "\r\nContent-Type: application/pdf\r\nContent-Range: bytes 10-11/20\r\n\r\nab"
                + "\r\n--" + b + "--\r\n");
    }
}
