package org.texfarm.compile;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.texfarm.ProjectKey;
import org.texfarm.sync.Sha256;

/**
 * Which preambles are worth a dump. A dump costs about a TeX run, and its format saves a part of
 * each later run (a tenth of an article's), so it pays back only over several compiles. As in
 * ski rental, a project compiles its preamble without a format until those compiles have cost
 * about what the dump would: only a preamble its project has compiled often enough is dumped, and
 * a project compiled a few times and left never pays for one.
 */
final class RepeatedPreambles {
    private record Count(Sha256 preamble, int compiles) {
    }

    private final Cache<ProjectKey, Count> counts = Caffeine.newBuilder().maximumSize(10_000).build();
    private final int dumpAfter;

    /** @param dumpAfter successful compiles of the same preamble without a format before it is dumped */
    RepeatedPreambles(int dumpAfter) {
        if (dumpAfter < 1) {
            throw new IllegalArgumentException("dumpAfter must be at least 1, not " + dumpAfter);
        }
        this.dumpAfter = dumpAfter;
    }

    /** Counts a successful compile of this preamble without its format; returns whether to dump it now. */
    boolean compiledWithout(ProjectKey project, Sha256 preamble) {
        Count count = counts.asMap().merge(project, new Count(preamble, 1),
                (before, first) -> before.preamble().equals(preamble) ? new Count(preamble, before.compiles() + 1) : first);
        return count.compiles() >= dumpAfter;
    }
}
