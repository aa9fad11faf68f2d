package org.texfarm.synctex;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.texfarm.metrics.LatencyBuckets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.texfarm.NotFoundException;
import org.texfarm.ProjectKey;
import org.texfarm.output.BuildStore;
import org.texfarm.sync.ResourcePath;

/**
 * Answers SyncTeX queries on a project's builds from their {@code output.synctex(.gz)}, read in
 * the service (no container on the path) and kept parsed in a cache bounded by memory, so that
 * the clicks after the first cost microseconds.
 */
public final class SyncTexLookup {
    /** About what one parsed record takes on the heap, measured (see docs/benchmarks.md). */
    static final long BYTES_PER_RECORD = 120;
    /** How long after its last SyncTeX query a project's new builds are read ahead of their first one. */
    private static final Duration USER_MEMORY = Duration.ofHours(1);

    private static final ResourcePath PLAIN = ResourcePath.parse("output.synctex", 64, 1);
    private static final ResourcePath COMPRESSED = ResourcePath.parse("output.synctex.gz", 64, 1);

    private record Key(ProjectKey project, String buildId) {
    }

    private final BuildStore builds;
    private final String compileDirectory;
    private final long maxRecords;
    private final Cache<Key, SyncTex> parsed;
    private final Cache<ProjectKey, Boolean> users = Caffeine.newBuilder()
            .expireAfterAccess(USER_MEMORY).maximumSize(100_000).build();
    private final Timer codeToPdf;
    private final Timer pdfToCode;

    /**
     * @param compileDirectory where projects' files are when TeX runs, in the sandbox
     * @param cacheBytes       memory for parsed SyncTeX data; one build's data may take all of it
     */
    public SyncTexLookup(BuildStore builds, String compileDirectory, long cacheBytes, MeterRegistry registry) {
        this.builds = builds;
        this.compileDirectory = compileDirectory;
        this.maxRecords = Math.max(1, cacheBytes / BYTES_PER_RECORD);
        this.parsed = Caffeine.newBuilder()
                .maximumWeight(maxRecords)
                .weigher((Key key, SyncTex syncTex) -> (int) Math.min(Integer.MAX_VALUE, syncTex.size()))
                .build();
        this.codeToPdf = timer(registry, "code");
        this.pdfToCode = timer(registry, "pdf");
    }

    private static Timer timer(MeterRegistry registry, String direction) {
        return Timer.builder("synctex.queries").tag("from", direction)
                .description("SyncTeX queries, reading the build's data when it is not cached yet")
                .serviceLevelObjectives(LatencyBuckets.SYNCTEX).register(registry);
    }

    /** {@code GET .../sync/code}: the PDF boxes made from a line of a file. */
    public List<PdfBox> boxesFor(ProjectKey project, String buildId, ResourcePath file, int line) {
        return codeToPdf.record(() -> syncTex(project, buildId).boxesFor(file.toString(), line));
    }

    /** {@code GET .../sync/pdf}: the source lines of what is at a point of a page. */
    public List<SourcePosition> sourceAt(ProjectKey project, String buildId, int page, double h, double v) {
        return pdfToCode.record(() -> syncTex(project, buildId).sourceAt(page, h, v));
    }

    /**
     * Reads a new build's data before its first query when the project's editor has used SyncTeX
     * lately, so that the click after a compile answers from memory too. Call it off the
     * compile's answer (it reads a file).
     */
    public void prefetch(ProjectKey project, String buildId) {
        if (users.getIfPresent(project) == null) {
            return;
        }
        try {
            parsed.get(new Key(project, buildId), this::read);
        } catch (NotFoundException e) {
            // A build without SyncTeX data: its queries will say so.
        }
    }

    boolean isRead(ProjectKey project, String buildId) {
        return parsed.getIfPresent(new Key(project, buildId)) != null;
    }

    private SyncTex syncTex(ProjectKey project, String buildId) {
        users.put(project, Boolean.TRUE);
        Key key = new Key(project, buildId != null ? buildId : latest(project));
        if (!builds.exists(project, key.buildId())) {
            parsed.invalidate(key);
            throw new NotFoundException("no build " + key.buildId()
                    + " of this project (builds are kept for a while, then deleted)");
        }
        return parsed.get(key, this::read);
    }

    private String latest(ProjectKey project) {
        try {
            return builds.latest(project).orElseThrow(() -> new NotFoundException(
                    "this project has no build: compile it first (SyncTeX data comes with each build)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SyncTex read(Key key) {
        // As the synctex tool: an uncompressed file first (-synctex=-1), else the usual compressed one.
        Optional<Path> plain = builds.find(key.project(), key.buildId(), PLAIN);
        Path file = plain.or(() -> builds.find(key.project(), key.buildId(), COMPRESSED))
                .orElseThrow(() -> new NotFoundException("build " + key.buildId() + " has no SyncTeX data:"
                        + " it failed before TeX wrote any, or ran with -synctex=0"));
        try (InputStream raw = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
             InputStream in = plain.isPresent() ? raw : new GZIPInputStream(raw, 64 * 1024)) {
            return SyncTex.read(in, compileDirectory, maxRecords);
        } catch (IOException e) {
            throw new NotFoundException("the SyncTeX data of build " + key.buildId() + " cannot be read: " + e.getMessage());
        }
    }
}
