package org.texfarm.sync;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Every file any project sent, kept once under its SHA-256 ({@code <root>/<2 hex>/<64 hex>}),
 * shared by all projects. A blob appears only whole and verified: it is written to a temp file,
 * hashed while written, flushed to disk, made read-only and renamed into place; a crash leaves at
 * most a temp file, removed at the next start.
 *
 * <p>Compile directories get plain, writable copies of their resources, as CLSI's are: TeX,
 * makeindex and {@code filecontents} may write over project files. Only what the sandbox reads and
 * never writes (a precompiled preamble) is hard-linked, and only where the sandbox runs as a user
 * that cannot write to blobs. A compile can never change a stored blob.
 */
public final class ContentStore {
    private static final int FAN_OUT_CHARS = 2;

    private final Path blobs;
    private final Path temp;
    private final boolean hardLinks;
    private final Clock clock;
    private final Cache<Sha256, BlobInfo> index;
    private final Counter hits;
    private final Counter misses;
    private final Counter bytesWritten;
    private final Counter bytesSaved;
    private final Counter collected;

    /** What the service remembers of a blob on disk. */
    private record BlobInfo(long size) {
    }

    private ContentStore(Path root, boolean hardLinks, Clock clock, MeterRegistry registry) {
        this.blobs = root.resolve("blobs");
        this.temp = root.resolve("tmp");
        this.hardLinks = hardLinks;
        this.clock = clock;
        this.index = Caffeine.newBuilder().maximumSize(200_000).build();
        this.hits = Counter.builder("store.hits").description("content already stored, not written again").register(registry);
        this.misses = Counter.builder("store.misses").description("content written to the store").register(registry);
        this.bytesWritten = Counter.builder("store.bytes.written").baseUnit("bytes").register(registry);
        this.bytesSaved = Counter.builder("store.bytes.saved").baseUnit("bytes")
                .description("bytes not written because the store had them").register(registry);
        this.collected = Counter.builder("store.blobs.collected").description("unreferenced blobs deleted").register(registry);
    }

    /**
     * Opens (or creates) the store under {@code root}, deleting temp files a crash left behind.
     *
     * @param hardLinks whether {@link #link} may hard-link blobs: only when the sandbox runs as a
     *                  user that does not own them
     * @param clock     stamps each blob with the time it was stored, for {@link #collect}
     */
    public static ContentStore open(Path root, boolean hardLinks, Clock clock, MeterRegistry registry) throws IOException {
        ContentStore store = new ContentStore(root, hardLinks, clock, registry);
        Files.createDirectories(store.blobs);
        Files.createDirectories(store.temp);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(store.temp)) {
            for (Path leftover : leftovers) {
                SafeFiles.deleteRecursively(leftover);
            }
        }
        return store;
    }

    /** Stores content held in memory; writes it only when the store lacks it. */
    public Sha256 put(byte[] content) throws IOException {
        return put(content, Sha256.of(content));
    }

    /** {@link #put(byte[])} for content whose hash the caller computed already. */
    Sha256 put(byte[] content, Sha256 hash) throws IOException {
        if (contains(hash)) {
            hits.increment();
            bytesSaved.increment(content.length);
            return hash;
        }
        try {
            return write(new java.io.ByteArrayInputStream(content), content.length, hash);
        } catch (ContentMismatchException e) {
            throw new IllegalStateException("content changed while stored", e);
        }
    }

    /**
     * Streams content into the store, failing past {@code maxBytes} or, when {@code expected} is
     * given, when the content does not hash to it. Nothing is stored on failure.
     */
    public Sha256 put(InputStream content, long maxBytes, Sha256 expected) throws IOException, ContentMismatchException {
        return write(content, maxBytes, expected);
    }

    public boolean contains(Sha256 hash) {
        return info(hash) != null;
    }

    /** Reads a stored blob. */
    public InputStream read(Sha256 hash) throws IOException {
        return Files.newInputStream(blobPath(hash), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** The size of a stored blob, or -1 when the store lacks it. */
    public long size(Sha256 hash) {
        BlobInfo info = info(hash);
        return info == null ? -1 : info.size();
    }

    /**
     * Makes {@code target} a plain copy of the blob that {@code owner} may write, replacing whatever
     * entry was there, atomically: a compile can change its copy, never the blob. Returns the copy
     * as placed, to tell later whether anyone touched it.
     */
    public PlacedFile copy(Sha256 hash, Path target, Ownership owner) throws IOException {
        replace(hash, target, (blob, staging) -> {
            Files.copy(blob, staging);
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-r--r--"));
            owner.apply(staging);
        });
        return PlacedFile.of(hash, target);
    }

    /**
     * Makes {@code target} hold the blob for reading only: a hard link where the sandbox cannot
     * write to blobs (it runs as another user), else a copy; replaces whatever entry was there,
     * atomically.
     */
    public void link(Sha256 hash, Path target) throws IOException {
        replace(hash, target, (blob, staging) -> {
            if (!hardLinks || !tryLink(staging, blob)) {
                Files.copy(blob, staging);
                Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("r--r--r--"));
            }
        });
    }

    /** How the blob becomes a staging file beside its target. */
    private interface Staging {
        void make(Path blob, Path staging) throws IOException;
    }

    /** Stages the blob beside {@code target}, then renames it over whatever entry was there. */
    private void replace(Sha256 hash, Path target, Staging staging) throws IOException {
        Path staged = SafeFiles.temporarySibling(target);
        try {
            staging.make(blobPath(hash), staged);
            SafeFiles.replace(staged, target);
        } catch (NoSuchFileException e) {
            index.invalidate(hash);
            throw e;
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /** Deletes every blob that is not {@code live} and was stored before {@code storedBefore}; returns how many. */
    public int collect(Predicate<Sha256> live, Instant storedBefore) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> fans = Files.newDirectoryStream(blobs)) {
            for (Path fan : fans) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(fan)) {
                    for (Path blob : entries) {
                        Sha256 hash;
                        try {
                            hash = new Sha256(blob.getFileName().toString());
                        } catch (IllegalArgumentException e) {
                            continue;
                        }
                        BasicFileAttributes attributes = Files.readAttributes(blob, BasicFileAttributes.class,
                                LinkOption.NOFOLLOW_LINKS);
                        if (!live.test(hash) && attributes.lastModifiedTime().toInstant().isBefore(storedBefore)) {
                            index.invalidate(hash);
                            Files.deleteIfExists(blob);
                            deleted++;
                        }
                    }
                }
            }
        }
        collected.increment(deleted);
        return deleted;
    }

    private boolean tryLink(Path link, Path blob) {
        try {
            Files.createLink(link, blob);
            return true;
        } catch (IOException e) {
            // Another file system, or the blob's link count is at its maximum: copy instead.
            return false;
        }
    }

    private Sha256 write(InputStream content, long maxBytes, Sha256 expected) throws IOException, ContentMismatchException {
        Path staging = Files.createTempFile(temp, "blob-", ".tmp");
        try {
            MessageDigest digest = Sha256.digest();
            long size;
            try (FileChannel channel = FileChannel.open(staging, StandardOpenOption.WRITE)) {
                try (OutputStream out = new DigestOutputStream(Channels.newOutputStream(channel), digest)) {
                    size = copyBounded(content, out, maxBytes);
                    out.flush();
                    channel.force(true);
                }
            }
            Sha256 hash = Sha256.of(digest);
            if (expected != null && !expected.equals(hash)) {
                throw new ContentMismatchException("the content hashes to " + hash + ", not " + expected);
            }
            if (contains(hash)) {
                hits.increment();
                bytesSaved.increment(size);
                return hash;
            }
            Path blob = blobPath(hash);
            Files.createDirectories(blob.getParent());
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("r--r--r--"));
            Files.setLastModifiedTime(staging, FileTime.from(clock.instant()));
            // The content is on disk before its name appears; a rename lost in a crash only loses the blob.
            Files.move(staging, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            misses.increment();
            bytesWritten.increment(size);
            return hash;
        } finally {
            Files.deleteIfExists(staging);
        }
    }

    private static long copyBounded(InputStream in, OutputStream out, long maxBytes) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > maxBytes) {
                throw new ContentTooLargeException(maxBytes);
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    private BlobInfo info(Sha256 hash) {
        return index.get(hash, h -> {
            try {
                BasicFileAttributes attributes = Files.readAttributes(blobPath(h), BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                return attributes.isRegularFile()
                        ? new BlobInfo(attributes.size())
                        : null;
            } catch (IOException e) {
                return null;
            }
        });
    }

    private Path blobPath(Sha256 hash) {
        return blobs.resolve(hash.hex().substring(0, FAN_OUT_CHARS)).resolve(hash.hex());
    }

    /** Content longer than the limit it was stored under. */
    public static final class ContentTooLargeException extends IOException {
        private final long limit;

        ContentTooLargeException(long limit) {
            super("larger than the " + limit + "-byte limit");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /** Content that does not hash to the hash it was sent under. */
    public static final class ContentMismatchException extends Exception {
        ContentMismatchException(String message) {
            super(message);
        }
    }
}
