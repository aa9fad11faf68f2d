package org.texfarm.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The byte ranges of a PDF's large top-level objects, by which Overleaf's PDF viewer fetches a new
 * build and reuses the streams it has from earlier ones (CLSI's {@code ContentCacheManager}).
 * The object offsets come from the xref that qpdf printed in the sandbox ({@code qpdf
 * --show-xref}): each object stored uncompressed, from just after its {@code "N G "} to the next
 * object's offset, of at least the minimum size, is a range, hashed with SHA-256. Objects inside
 * object streams have no bytes of their own. The PDF and the xref are the document's, so both are
 * read within caps, and a deadline ends the work with the ranges found so far.
 */
public final class PdfRanges {
    /** Entries of a qpdf xref that are read at most; a PDF with more is served whole. */
    static final int MAX_ENTRIES = 100_000;
    /** How far into an object its {@code obj} keyword may be, as CLSI allows. */
    private static final int MAX_OBJECT_ID = 100;
    /** qpdf's line for an object with bytes of its own, numbers capped as CLSI caps them. */
    private static final Pattern UNCOMPRESSED = Pattern.compile("^\\d{1,9}/\\d{1,9}: uncompressed; offset = (\\d{1,12})$",
            Pattern.MULTILINE);

    /**
     * One top-level object's bytes, as CLSI's {@code ranges} entries name them.
     *
     * @param objectId the object's number and generation before {@code obj}, e.g. {@code "12 0 "}
     * @param start    the offset of its {@code obj} keyword
     * @param end      the offset of the next object: the range is [start, end)
     * @param hash     SHA-256 of the range's bytes, in hex
     */
    public record Range(String objectId, long start, long end, String hash) {
        public long size() {
            return end - start;
        }
    }

    /**
     * The ranges found before the deadline, and whether the deadline cut them short.
     */
    public record Result(List<Range> ranges, boolean timedOut) {
    }

    private PdfRanges() {
    }

    /**
     * The offsets of the objects a qpdf xref lists as uncompressed, in ascending order.
     *
     * @throws MalformedXrefException when it lists none, or more than {@link #MAX_ENTRIES}
     */
    static List<Long> uncompressedOffsets(String xref) throws MalformedXrefException {
        List<Long> offsets = new ArrayList<>();
        Matcher line = UNCOMPRESSED.matcher(xref);
        while (line.find()) {
            if (offsets.size() == MAX_ENTRIES) {
                throw new MalformedXrefException("the xref lists more than " + MAX_ENTRIES + " objects");
            }
            offsets.add(Long.parseLong(line.group(1)));
        }
        if (offsets.isEmpty()) {
            throw new MalformedXrefException("the xref lists no uncompressed object");
        }
        offsets.sort(null);
        return offsets;
    }

    /**
     * The ranges of the PDF's uncompressed objects of at least {@code minSize} bytes.
     *
     * @param xref     what {@code qpdf --show-xref} printed for this PDF
     * @param deadline the {@code nanoTime} after which no more ranges are read
     * @throws MalformedXrefException when the xref or an object does not fit the PDF
     */
    public static Result compute(Path pdf, String xref, int minSize, long deadline, LongSupplier nanoTime)
            throws IOException, MalformedXrefException {
        if (minSize < 1) {
            throw new IllegalArgumentException("minSize must be at least 1, not " + minSize);
        }
        List<Long> offsets = uncompressedOffsets(xref);
        List<Range> ranges = new ArrayList<>();
        try (FileChannel file = FileChannel.open(pdf, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = file.size();
            // The last object ends where the xref begins, which qpdf does not say: left out, as CLSI does.
            for (int i = 0; i + 1 < offsets.size(); i++) {
                long offset = offsets.get(i);
                long end = offsets.get(i + 1);
                if (end - offset < minSize) {
                    continue;
                }
                if (end > size) {
                    throw new MalformedXrefException("object at " + offset + " ends at " + end + ", past the PDF's " + size + " bytes");
                }
                if (nanoTime.getAsLong() - deadline > 0) {
                    return new Result(List.copyOf(ranges), true);
                }
                ranges.add(range(file, offset, end));
            }
        }
        return new Result(List.copyOf(ranges), false);
    }

    private static Range range(FileChannel file, long offset, long end) throws IOException, MalformedXrefException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(MAX_OBJECT_ID + 3, end - offset));
        readFully(file, head, offset);
        int keyword = indexOf(head.array(), head.limit(), "obj".getBytes(StandardCharsets.US_ASCII));
        if (keyword < 0 || keyword > MAX_OBJECT_ID) {
            throw new MalformedXrefException("no 'obj' within " + MAX_OBJECT_ID + " bytes of offset " + offset);
        }
        String objectId = new String(head.array(), 0, keyword, StandardCharsets.ISO_8859_1);
        long start = offset + keyword;
        MessageDigest sha256 = sha256();
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        for (long position = start; position < end; ) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), end - position));
            readFully(file, chunk, position);
            position += chunk.remaining();
            sha256.update(chunk);
        }
        return new Range(objectId, start, end, HexFormat.of().formatHex(sha256.digest()));
    }

    /** Fills the buffer from the position and flips it for reading. */
    private static void readFully(FileChannel file, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = file.read(buffer, at);
            if (read < 0) {
                throw new IOException("the PDF ended at " + at + " while " + buffer.remaining() + " bytes were to come");
            }
            at += read;
        }
        buffer.flip();
    }

    private static int indexOf(byte[] bytes, int length, byte[] needle) {
        for (int i = 0; i + needle.length <= length; i++) {
            int j = 0;
            while (j < needle.length && bytes[i + j] == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return i;
            }
        }
        return -1;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** An xref that does not describe the PDF: the PDF is served whole, without ranges. */
    public static final class MalformedXrefException extends Exception {
        MalformedXrefException(String message) {
            super(message);
        }
    }
}
