package org.texfarm.compile;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.texfarm.ProjectKey;
import org.texfarm.logs.LogAnnotation;
import org.texfarm.output.BuildStore;
import org.texfarm.sync.Sha256;

/**
 * The last result of each project with the fingerprints of its request and of its inputs: the
 * same request again, or another request that syncs to the same inputs, gets that result back,
 * with no TeX run, while its build is still kept. Only outcomes that the inputs decide are
 * remembered (not timeouts or kills).
 */
final class ResultCache {
    private static final Set<CompileStatus> DETERMINISTIC = Set.of(
            CompileStatus.SUCCESS, CompileStatus.FAILURE, CompileStatus.STOPPED_ON_FIRST_ERROR,
            CompileStatus.VALIDATION_PASS, CompileStatus.VALIDATION_FAIL);

    /** What the cache may hold, in kilobytes of results (their annotations, mostly). */
    private static final long MAX_KILOBYTES = 256 * 1024;

    private record Entry(Sha256 request, Sha256 inputs, CompileResult result) {
        /** About the memory it takes, in kilobytes. */
        int kilobytes() {
            long chars = 0;
            for (LogAnnotation annotation : result.annotations()) {
                chars += annotation.message().length() + annotation.excerpt().length();
            }
            return (int) (1 + chars / 512);
        }
    }

    private final BuildStore builds;
    private final Cache<ProjectKey, Entry> last = Caffeine.newBuilder().maximumWeight(MAX_KILOBYTES)
            .weigher((ProjectKey project, Entry entry) -> entry.kilobytes()).build();
    private final Counter hits;
    private final Counter misses;

    ResultCache(BuildStore builds, MeterRegistry registry) {
        this.builds = builds;
        this.hits = Counter.builder("compile.result.cache").tag("result", "hit")
                .description("compiles answered with the last build of unchanged input").register(registry);
        this.misses = Counter.builder("compile.result.cache").tag("result", "miss").register(registry);
    }

    /**
     * The last result of the project, if it answered this very request (which then needs no
     * sync: the same request syncs to the same inputs) and its build is still there.
     */
    Optional<CompileResult> lookupRequest(ProjectKey project, Sha256 request, Map<String, Long> timings,
                                          Map<String, Long> ourTimings) {
        Entry entry = last.getIfPresent(project);
        return entry != null && entry.request().equals(request)
                ? answer(project, entry, timings, ourTimings) : Optional.empty();
    }

    /** The last result of the project, if its inputs had this fingerprint and its build is still there. */
    Optional<CompileResult> lookup(ProjectKey project, Sha256 inputs, Map<String, Long> timings, Map<String, Long> ourTimings) {
        Entry entry = last.getIfPresent(project);
        Optional<CompileResult> answer = entry != null && entry.inputs().equals(inputs)
                ? answer(project, entry, timings, ourTimings) : Optional.empty();
        if (answer.isEmpty()) {
            misses.increment();
        }
        return answer;
    }

    /** The cached result with this request's timings; never an initial compile, since this one ran none. */
    private Optional<CompileResult> answer(ProjectKey project, Entry entry, Map<String, Long> timings,
                                           Map<String, Long> ourTimings) {
        CompileResult cached = entry.result();
        if (!builds.exists(project, cached.buildId())) {
            return Optional.empty();
        }
        hits.increment();
        Map<String, Long> stats = new LinkedHashMap<>(cached.stats());
        stats.remove("isInitialCompile");
        // The answer has the keys of the one it repeats; what it did not do again took 0 ms.
        Map<String, Long> allTimings = new LinkedHashMap<>(timings);
        if (cached.pdfCaching() != null) {
            cached.pdfCaching().timings().keySet().forEach(stage -> allTimings.put(stage, 0L));
        }
        return Optional.of(new CompileResult(cached.status(), cached.error(), cached.buildId(), cached.outputFiles(),
                stats, allTimings, cached.details().fromCache(ourTimings), cached.resourceErrors(), cached.annotations(),
                cached.pdfCaching()));
    }

    void remember(ProjectKey project, Sha256 request, Sha256 inputs, CompileResult result) {
        if (DETERMINISTIC.contains(result.status()) && result.resourceErrors().isEmpty()) {
            last.put(project, new Entry(request, inputs, result));
        } else {
            last.invalidate(project);
        }
    }

    void forget(ProjectKey project) {
        last.invalidate(project);
    }
}
