package org.texfarm.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.texfarm.ProjectKey;

class PdfChunksTest {
    private static final ProjectKey PROJECT = ProjectKey.of("p", null);
    private static final OutputLimits LIMITS = new OutputLimits(1 << 24, 100, 1 << 24, 1 << 16);
    private static final Duration TIME = Duration.ofSeconds(10);
    private static final String XREF = ".output.pdfxref";

    @TempDir
    Path temp;
    private Path compileDir;
    private BuildStore builds;
    private PdfChunks chunks;
    private int buildNumber;

    @BeforeEach
    void setUp() throws Exception {
        compileDir = Files.createDirectories(temp.resolve("compile"));
        builds = new BuildStore(temp.resolve("builds"), 2, Runnable::run);
        chunks = new PdfChunks(builds, 2, Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC), System::nanoTime);
    }

    /** Saves a build of this PDF, with its xref in the compile directory as the sandbox leaves it; returns its id. */
    private String build(PdfRangesTest.Pdf pdf, String xref) throws Exception {
        Files.write(compileDir.resolve("output.pdf"), pdf.bytes());
        Files.writeString(compileDir.resolve(XREF), xref);
        String buildId = Integer.toHexString(++buildNumber) + "-aa";
        builds.save(PROJECT, buildId, compileDir, Set.of(), "", "", LIMITS);
        return buildId;
    }

    private PdfChunks.Indexed index(String buildId) throws Exception {
        return chunks.index(PROJECT, buildId, compileDir.resolve(XREF), 1024, TIME).orElseThrow();
    }

    private static byte[] bytesOf(PdfChunks.Chunk chunk) throws Exception {
        return Arrays.copyOfRange(Files.readAllBytes(chunk.pdf()), (int) chunk.start(), (int) chunk.end());
    }

    @Test
    void servesEachRangeAsTheBytesThatHashToItsHash() throws Exception {
        PdfRangesTest.Pdf pdf = PdfRangesTest.Pdf.of(5000, 3000, 100);

        PdfChunks.Indexed indexed = index(build(pdf, pdf.xref()));

        assertThat(indexed.ranges()).hasSize(2);
        for (PdfRanges.Range range : indexed.ranges()) {
            byte[] served = bytesOf(chunks.find(PROJECT, indexed.contentId(), range.hash()).orElseThrow());
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(served))).isEqualTo(range.hash());
            assertThat(served).isEqualTo(Arrays.copyOfRange(pdf.bytes(), (int) range.start(), (int) range.end()));
        }
        assertThat(indexed.stats()).containsEntry("pdf-caching-n-ranges", 2L)
                .containsEntry("pdf-caching-total-ranges-size", indexed.ranges().stream().mapToLong(PdfRanges.Range::size).sum())
                .containsEntry("pdf-caching-n-new-ranges", 2L)
                .containsEntry("pdf-caching-reclaimed-space", 0L);
        assertThat(indexed.timings()).containsOnlyKeys("compute-pdf-caching", "pdf-caching-overhead-delete-stale-hashes");
    }

    @Test
    void servesAChunkOnlyToTheCompileDirectoryThatMadeItUnderItsContentId() throws Exception {
        PdfRangesTest.Pdf pdf = PdfRangesTest.Pdf.of(5000, 10);
        PdfChunks.Indexed indexed = index(build(pdf, pdf.xref()));
        String hash = indexed.ranges().getFirst().hash();

        assertThat(chunks.find(PROJECT, indexed.contentId(), hash)).isPresent();
        assertThat(chunks.find(ProjectKey.of("other", null), indexed.contentId(), hash)).isEmpty();
        assertThat(chunks.find(ProjectKey.of("p", "0123456789abcdef01234567"), indexed.contentId(), hash)).isEmpty();
        assertThat(chunks.find(PROJECT, "1-aa", hash)).isEmpty();
        assertThat(chunks.find(PROJECT, indexed.contentId(), "0".repeat(64))).isEmpty();
        assertThat(chunks.find(PROJECT, indexed.contentId(), "../" + hash)).isEmpty();
    }

    @Test
    void keepsTheContentIdAndCountsOnlyUnseenRangesAsNew() throws Exception {
        PdfChunks.Indexed first = index(build(PdfRangesTest.Pdf.of(5000, 3000, 10), PdfRangesTest.Pdf.of(5000, 3000, 10).xref()));
        // The first object is the same; the second changed.
        PdfRangesTest.Pdf edited = PdfRangesTest.Pdf.of(5000, 4000, 10);

        PdfChunks.Indexed second = index(build(edited, edited.xref()));

        assertThat(second.contentId()).isEqualTo(first.contentId());
        assertThat(second.ranges().getFirst().hash()).isEqualTo(first.ranges().getFirst().hash());
        assertThat(second.stats()).containsEntry("pdf-caching-n-ranges", 2L).containsEntry("pdf-caching-n-new-ranges", 1L)
                .containsEntry("pdf-caching-new-ranges-size", second.ranges().get(1).size());
    }

    @Test
    void dropsTheHashesOfNoneOfTheLastCachingCompilesAndCountsTheirBytes() throws Exception {
        PdfRangesTest.Pdf old = PdfRangesTest.Pdf.of(5000, 10);
        PdfRangesTest.Pdf current = PdfRangesTest.Pdf.of(6000, 10);
        PdfChunks.Indexed first = index(build(old, old.xref()));
        String oldHash = first.ranges().getFirst().hash();

        PdfChunks.Indexed second = index(build(current, current.xref()));
        assertThat(second.stats()).containsEntry("pdf-caching-reclaimed-space", 0L);
        assertThat(chunks.find(PROJECT, first.contentId(), oldHash)).isPresent();

        PdfChunks.Indexed third = index(build(current, current.xref()));
        assertThat(third.stats()).containsEntry("pdf-caching-reclaimed-space", first.ranges().getFirst().size());
        assertThat(chunks.find(PROJECT, first.contentId(), oldHash)).isEmpty();
        assertThat(chunks.find(PROJECT, first.contentId(), third.ranges().getFirst().hash())).isPresent();
    }

    @Test
    void servesThePdfWholeWhenItsXrefIsMissingMalformedTooLargeOrALink() throws Exception {
        PdfRangesTest.Pdf pdf = PdfRangesTest.Pdf.of(5000, 10);
        String buildId = build(pdf, "not an xref\n");
        Path xref = compileDir.resolve(XREF);

        assertThat(chunks.index(PROJECT, buildId, xref, 1024, TIME)).isEmpty();
        Files.writeString(xref, pdf.xref() + " ".repeat(PdfChunks.MAX_XREF_BYTES));
        assertThat(chunks.index(PROJECT, buildId, xref, 1024, TIME)).isEmpty();
        Files.delete(xref);
        assertThat(chunks.index(PROJECT, buildId, xref, 1024, TIME)).isEmpty();
        Files.createSymbolicLink(xref, Files.writeString(temp.resolve("elsewhere"), pdf.xref()));
        assertThat(chunks.index(PROJECT, buildId, xref, 1024, TIME)).isEmpty();
    }

    @Test
    void givesNoRangesButAllItsStatsForAPdfSmallerThanTheSmallestChunk() throws Exception {
        PdfRangesTest.Pdf pdf = PdfRangesTest.Pdf.of(100, 10);
        String buildId = build(pdf, "no xref is needed\n");

        PdfChunks.Indexed indexed = chunks.index(PROJECT, buildId, compileDir.resolve(XREF), 1 << 20, TIME).orElseThrow();

        assertThat(indexed.ranges()).isEmpty();
        assertThat(indexed.stats()).containsEntry("pdf-caching-n-ranges", 0L).containsEntry("pdf-caching-total-ranges-size", 0L)
                .containsKeys("pdf-caching-n-new-ranges", "pdf-caching-new-ranges-size", "pdf-caching-reclaimed-space");
    }

    @Test
    void givesTheRangesFoundWithinTheTimeAndSaysItRanOut() throws Exception {
        PdfRangesTest.Pdf pdf = PdfRangesTest.Pdf.of(5000, 5000, 5000, 10);
        String buildId = build(pdf, pdf.xref());
        AtomicLong nanos = new AtomicLong();
        PdfChunks slow = new PdfChunks(builds, 2, Clock.systemUTC(), () -> nanos.getAndAdd(1_000_000_000L));

        PdfChunks.Indexed indexed = slow.index(PROJECT, buildId, compileDir.resolve(XREF), 1024, Duration.ofMillis(1500)).orElseThrow();

        assertThat(indexed.stats()).containsEntry("pdf-caching-timed-out", 1L);
        assertThat(indexed.ranges()).hasSizeLessThan(3);
    }

    @Test
    void hasNothingForABuildWithoutAPdf() throws Exception {
        Files.writeString(compileDir.resolve("output.log"), "log");
        builds.save(PROJECT, "9-aa", compileDir, Set.of(), "", "", LIMITS);

        assertThat(chunks.index(PROJECT, "9-aa", compileDir.resolve(XREF), 1024, TIME)).isEmpty();
    }
}
