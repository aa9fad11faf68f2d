package org.texfarm.output;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.ProjectKey;
import org.texfarm.sync.ResourcePath;
import org.texfarm.sync.SafeFiles;

/**
 * PDF caching, as Overleaf's viewer uses it: the byte ranges of each new PDF's large objects
 * ({@link PdfRanges}), and the chunks a viewer may then fetch on their own by hash, to reuse the
 * ones it has from earlier builds.
 * <p>
 * Each compile directory has one content id, the same for all its builds (a viewer's cache is keyed
 * by it), and an index of the hashes of its recent PDFs: for each, the newest build whose PDF holds
 * it, where, and how many caching compiles ago it was last seen. A chunk is served from that
 * build's {@code output.pdf}: nothing is copied. A hash that none of the last {@code generations}
 * caching compiles had is dropped, as its builds are gone by then too. Only the compile directory
 * that made a chunk can fetch it, under its own content id: another project cannot learn whether
 * a hash exists. The index is written whole, atomically, under the project's lock.
 */
public final class PdfChunks {
    private static final Logger log = LoggerFactory.getLogger(PdfChunks.class);
    /** The largest xref read: qpdf's is about 40 bytes per object; CLSI caps it the same. */
    static final int MAX_XREF_BYTES = 1 << 20;
    private static final String INDEX = ".pdf-chunks";
    private static final String INDEX_HEADER = "texfarm pdf chunks 1";
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final ResourcePath PDF = ResourcePath.parse("output.pdf", 16, 1);

    private final BuildStore builds;
    private final int generations;
    private final Clock clock;
    private final LongSupplier nanoTime;

    /**
     * @param generations caching compiles after which a hash no PDF had since is dropped: the
     *                    builds kept, since older builds are gone
     */
    public PdfChunks(BuildStore builds, int generations, Clock clock, LongSupplier nanoTime) {
        if (generations < 1) {
            throw new IllegalArgumentException("generations must be at least 1, not " + generations);
        }
        this.builds = builds;
        this.generations = generations;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    /**
     * The ranges of a build's PDF, as a compile's answer gives them.
     *
     * @param contentId the compile directory's content id, under which its chunks are fetched
     * @param ranges    the PDF's chunks
     * @param stats     CLSI's {@code pdf-caching-*} stats
     * @param timings   CLSI's {@code compute-pdf-caching} and {@code pdf-caching-overhead-delete-stale-hashes}
     */
    public record Indexed(String contentId, List<PdfRanges.Range> ranges, Map<String, Long> stats, Map<String, Long> timings) {
        public Indexed {
            ranges = List.copyOf(ranges);
            stats = Map.copyOf(stats);
            timings = Map.copyOf(timings);
        }
    }

    /** One chunk's bytes: {@code [start, end)} of a kept build's PDF. */
    public record Chunk(Path pdf, long start, long end) {
    }

    /**
     * Computes the ranges of the build's {@code output.pdf} from the xref its sandbox wrote, and
     * records them in the compile directory's index. Call it under the project's lock.
     *
     * @param xref          the xref qpdf wrote for this PDF in the sandbox; the document's, so read within caps
     * @param minChunkBytes the smallest object that is a range
     * @param timeLimit     how long the ranges may take; past it, those found so far are given
     * @return the ranges, or empty when the build has no PDF or its xref does not describe it:
     *         the PDF is then fetched whole
     */
    public Optional<Indexed> index(ProjectKey project, String buildId, Path xref, int minChunkBytes, Duration timeLimit)
            throws IOException {
        long start = nanoTime.getAsLong();
        long deadline = start + timeLimit.toNanos();
        Optional<Path> pdf = builds.find(project, buildId, PDF);
        if (pdf.isEmpty()) {
            return Optional.empty();
        }
        PdfRanges.Result found;
        if (Files.size(pdf.get()) < minChunkBytes) {
            found = new PdfRanges.Result(List.of(), false);
        } else {
            Optional<String> xrefText = readXref(xref);
            if (xrefText.isEmpty()) {
                return Optional.empty();
            }
            try {
                found = PdfRanges.compute(pdf.get(), xrefText.get(), minChunkBytes, deadline, nanoTime);
            } catch (PdfRanges.MalformedXrefException e) {
                log.info("the PDF of {} build {} is served whole: {}", project, buildId, e.getMessage());
                return Optional.empty();
            }
        }

        Path indexFile = builds.projectDirectory(project).resolve(INDEX);
        Index index = Index.read(indexFile).orElseGet(() -> new Index(BuildId.next(clock), new LinkedHashMap<>()));
        long agingStart = nanoTime.getAsLong();
        long reclaimed = index.age(generations);
        long agingMillis = millisSince(agingStart);
        long newCount = 0;
        long newBytes = 0;
        long totalBytes = 0;
        for (PdfRanges.Range range : found.ranges()) {
            totalBytes += range.size();
            if (index.entries().put(range.hash(), new Entry(0, buildId, range.start(), range.end())) == null) {
                newCount++;
                newBytes += range.size();
            }
        }
        index.write(indexFile);

        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("pdf-caching-n-ranges", (long) found.ranges().size());
        stats.put("pdf-caching-total-ranges-size", totalBytes);
        stats.put("pdf-caching-n-new-ranges", newCount);
        stats.put("pdf-caching-new-ranges-size", newBytes);
        stats.put("pdf-caching-reclaimed-space", reclaimed);
        if (found.timedOut()) {
            stats.put("pdf-caching-timed-out", 1L);
        }
        Map<String, Long> timings = Map.of("compute-pdf-caching", millisSince(start),
                "pdf-caching-overhead-delete-stale-hashes", agingMillis);
        return Optional.of(new Indexed(index.contentId(), found.ranges(), stats, timings));
    }

    /**
     * The chunk with this hash, if a caching compile of this compile directory made it under this
     * content id and its build is still kept.
     */
    public Optional<Chunk> find(ProjectKey project, String contentId, String hash) throws IOException {
        if (!HASH.matcher(hash).matches()) {
            return Optional.empty();
        }
        Optional<Index> index = Index.read(builds.projectDirectory(project).resolve(INDEX));
        if (index.isEmpty() || !index.get().contentId().equals(contentId)) {
            return Optional.empty();
        }
        Entry entry = index.get().entries().get(hash);
        if (entry == null) {
            return Optional.empty();
        }
        return builds.find(project, entry.build(), PDF)
                .filter(pdf -> sizeOf(pdf) >= entry.end())
                .map(pdf -> new Chunk(pdf, entry.start(), entry.end()));
    }

    /** The xref, when it is a regular file of at most {@link #MAX_XREF_BYTES}. */
    private static Optional<String> readXref(Path xref) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(xref, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!attributes.isRegularFile() || attributes.size() == 0 || attributes.size() > MAX_XREF_BYTES) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(xref, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new String(in.readNBytes(MAX_XREF_BYTES), StandardCharsets.US_ASCII));
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - start);
    }

    /** Where a hash's bytes are, and how many caching compiles ago a PDF last held it. */
    private record Entry(int age, String build, long start, long end) {
    }

    /** A compile directory's content id and hashes, as stored in its builds' directory. */
    private record Index(String contentId, Map<String, Entry> entries) {
        static Optional<Index> read(Path file) throws IOException {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            try {
                if (!lines.get(0).equals(INDEX_HEADER) || !lines.get(1).startsWith("content ")) {
                    throw new IllegalArgumentException("no header");
                }
                Map<String, Entry> entries = new LinkedHashMap<>();
                for (String line : lines.subList(2, lines.size())) {
                    String[] fields = line.split(" ");
                    entries.put(fields[0], new Entry(Integer.parseInt(fields[1]), fields[2], Long.parseLong(fields[3]),
                            Long.parseLong(fields[4])));
                }
                return Optional.of(new Index(lines.get(1).substring("content ".length()), entries));
            } catch (RuntimeException e) {
                log.warn("{} is not a PDF chunk index ({}): a new one replaces it", file, e.toString());
                return Optional.empty();
            }
        }

        /** Counts one more caching compile; drops the hashes of none of the last {@code generations}, and says their bytes. */
        long age(int generations) {
            long reclaimed = 0;
            var iterator = entries.entrySet().iterator();
            while (iterator.hasNext()) {
                var entry = iterator.next();
                Entry older = entry.getValue();
                if (older.age() + 1 >= generations) {
                    reclaimed += older.end() - older.start();
                    iterator.remove();
                } else {
                    entry.setValue(new Entry(older.age() + 1, older.build(), older.start(), older.end()));
                }
            }
            return reclaimed;
        }

        void write(Path file) throws IOException {
            StringBuilder text = new StringBuilder(INDEX_HEADER).append('\n').append("content ").append(contentId).append('\n');
            entries.forEach((hash, entry) -> text.append(hash).append(' ').append(entry.age()).append(' ')
                    .append(entry.build()).append(' ').append(entry.start()).append(' ').append(entry.end()).append('\n'));
            Files.createDirectories(file.getParent());
            SafeFiles.writeAtomically(file, new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII)));
        }
    }
}
