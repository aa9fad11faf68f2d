package org.texfarm.sync;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads cached by URL and {@code modified}, into the content store, shared by every project:
 * a file that many projects use is downloaded once, and concurrent requests for the same key wait
 * for one download. Entries are kept on disk ({@code <root>/<sha256 of the key>}, holding the
 * content's hash; the file's time is the entry's last use), so they survive restarts. A URL
 * without {@code modified} cannot be versioned and is downloaded every time, unless it is an
 * Overleaf history blob URL, which names its content's hash ({@link HistoryBlobs}).
 */
public final class UrlCache {
    private static final Logger log = LoggerFactory.getLogger(UrlCache.class);
    private final UrlFetcher fetcher;
    private final ContentStore store;
    private final Path root;
    private final Clock clock;
    private final Cache<String, Sha256> index = Caffeine.newBuilder().maximumSize(100_000).build();
    private final ConcurrentMap<String, CompletableFuture<Sha256>> inFlight = new ConcurrentHashMap<>();
    private final Counter hits;
    private final Counter downloads;
    private final Counter failures;

    public UrlCache(UrlFetcher fetcher, ContentStore store, Path root, Clock clock, MeterRegistry registry) throws IOException {
        this.fetcher = fetcher;
        this.store = store;
        this.root = Files.createDirectories(root);
        this.clock = clock;
        this.hits = Counter.builder("url.cache.hits").description("downloads answered from the URL cache").register(registry);
        this.downloads = Counter.builder("url.downloads").description("resources downloaded").register(registry);
        this.failures = Counter.builder("url.download.failures").description("resources that could not be downloaded").register(registry);
    }

    /**
     * The content of {@code url} at version {@code modified}: cached, or downloaded (trying
     * {@code fallback} when the URL answers 404). The content of an Overleaf history blob URL is
     * cached by the hash the URL names, for every project and whatever {@code modified} says, once
     * the downloaded content is checked to have that hash: it cannot change.
     *
     * @param revalidate whether to download it even when cached (the entry is then renewed); a
     *                   history blob checked against its hash needs none
     */
    public Sha256 get(URI url, Long modified, URI fallback, boolean revalidate) throws DownloadFailedException, InterruptedException {
        Optional<String> blob = HistoryBlobs.idIn(url);
        String key = blob.map(id -> "history-blob\n" + id).orElse(url + "\n" + (modified == null ? "unversioned" : modified));
        if (blob.isPresent() || modified != null && !revalidate) {
            Sha256 cached = cached(key);
            if (cached != null) {
                hits.increment();
                return cached;
            }
        }
        CompletableFuture<Sha256> mine = new CompletableFuture<>();
        CompletableFuture<Sha256> shared = inFlight.putIfAbsent(key, mine);
        if (shared != null) {
            return await(shared);
        }
        try {
            Sha256 hash = download(url, fallback);
            if (blob.isPresent()) {
                if (hasBlobId(hash, blob.get())) {
                    remember(key, hash);
                } else {
                    log.warn("{} names the history blob {}, but its content hashes otherwise: not shared", url, blob.get());
                }
            } else if (modified != null) {
                remember(key, hash);
            }
            mine.complete(hash);
            return hash;
        } catch (DownloadFailedException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } catch (InterruptedException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** Whether stored content is the git blob {@code id}. */
    private boolean hasBlobId(Sha256 hash, String id) {
        try (InputStream content = store.read(hash)) {
            return HistoryBlobs.idOf(content, store.size(hash)).equals(id);
        } catch (IOException e) {
            return false;
        }
    }

    /** Every hash the cache holds, which the content store must keep. */
    public Set<Sha256> referencedHashes() throws IOException {
        Set<Sha256> hashes = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                Sha256 hash = readEntry(entry);
                if (hash != null) {
                    hashes.add(hash);
                }
            }
        }
        return hashes;
    }

    /** Forgets entries not used since {@code before}; returns how many. */
    public int expire(Instant before) throws IOException {
        int expired = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                if (Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)) {
                    index.invalidate(entry.getFileName().toString());
                    Files.deleteIfExists(entry);
                    expired++;
                }
            }
        }
        return expired;
    }

    private Sha256 download(URI url, URI fallback) throws DownloadFailedException, InterruptedException {
        try {
            Sha256 hash = fetcher.fetch(url, store);
            downloads.increment();
            return hash;
        } catch (DownloadFailedException e) {
            if (e.notFound() && fallback != null) {
                Sha256 hash = fetcher.fetch(fallback, store);
                downloads.increment();
                return hash;
            }
            failures.increment();
            throw e;
        }
    }

    private Sha256 cached(String key) {
        String name = entryName(key);
        Sha256 hash = index.getIfPresent(name);
        if (hash == null) {
            hash = readEntry(root.resolve(name));
        }
        if (hash == null || !store.contains(hash)) {
            return null;
        }
        touch(root.resolve(name));
        return hash;
    }

    private Sha256 readEntry(Path entry) {
        String name = entry.getFileName().toString();
        Sha256 known = index.getIfPresent(name);
        if (known != null) {
            return known;
        }
        if (!SafeFiles.isRealFile(entry)) {
            return null;
        }
        try {
            Sha256 hash = new Sha256(Files.readString(entry).trim());
            index.put(name, hash);
            return hash;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private void remember(String key, Sha256 hash) {
        String name = entryName(key);
        try {
            SafeFiles.writeAtomically(root.resolve(name), new ByteArrayInputStream(hash.hex().getBytes(StandardCharsets.US_ASCII)));
            index.put(name, hash);
            touch(root.resolve(name));
        } catch (IOException e) {
            // The download succeeded; only caching it failed. The next request downloads again.
        }
    }

    private void touch(Path entry) {
        try {
            Files.setLastModifiedTime(entry, FileTime.from(clock.instant()));
        } catch (IOException e) {
            // Only the expiry clock of the entry is affected.
        }
    }

    private static String entryName(String key) {
        return Sha256.of(key.getBytes(StandardCharsets.UTF_8)).hex();
    }

    private static Sha256 await(CompletableFuture<Sha256> shared) throws DownloadFailedException, InterruptedException {
        try {
            return shared.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DownloadFailedException failed) {
                throw failed;
            }
            if (e.getCause() instanceof InterruptedException) {
                throw DownloadFailedException.transientFailure("the shared download was interrupted");
            }
            throw new IllegalStateException("download failed", e.getCause());
        }
    }
}
