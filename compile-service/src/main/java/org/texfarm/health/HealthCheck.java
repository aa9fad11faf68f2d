package org.texfarm.health;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.texfarm.ProjectKey;
import org.texfarm.compile.CheckMode;
import org.texfarm.compile.CompileOptions;
import org.texfarm.compile.CompileRequest;
import org.texfarm.compile.CompileResult;
import org.texfarm.compile.CompileService;
import org.texfarm.compile.CompileStatus;
import org.texfarm.compile.Engine;
import org.texfarm.config.CompileGroup;
import org.texfarm.sync.Resource;
import org.texfarm.sync.ResourcePath;
import org.texfarm.sync.SyncType;

/**
 * What {@code /health_check} reports: a smoke-test compile of a small document in its own
 * project, the data directory's free space and the Docker engine, run periodically (and on
 * demand by {@code /smoke_test_force}), in the default compile group. Healthy only when all three pass.
 */
public final class HealthCheck {
    static final ProjectKey SMOKE_PROJECT = ProjectKey.of("smoke-test", null);
    private static final Duration SMOKE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * One run's outcome.
     *
     * @param healthy whether every check passed
     * @param checks  each check's name and what it found ("ok", or why not)
     * @param at      when it ran
     */
    public record Report(boolean healthy, Map<String, String> checks, Instant at) {
        public Report {
            checks = Map.copyOf(checks);
        }

        /** The checks that failed, each with what it found, on one line each. */
        public String summary() {
            StringBuilder text = new StringBuilder();
            checks.forEach((name, found) -> {
                if (!"ok".equals(found)) {
                    text.append(name).append(": ").append(found).append('\n');
                }
            });
            return text.toString();
        }

        public JsonObject toJson() {
            return new JsonObject().put("healthy", healthy).put("at", at.toString()).put("checks", new JsonObject(Map.copyOf(checks)));
        }
    }

    private final CompileService compiles;
    private final BooleanSupplier engineAnswers;
    private final CompileGroup group;
    private final Clock clock;
    private volatile Report last;

    public HealthCheck(CompileService compiles, BooleanSupplier engineAnswers, CompileGroup group, Clock clock) {
        this.compiles = compiles;
        this.engineAnswers = engineAnswers;
        this.group = group;
        this.clock = clock;
    }

    /** The last report, or a fresh one when none was made yet. */
    public Report last() throws InterruptedException {
        Report report = last;
        return report != null ? report : run();
    }

    /** Runs every check now; one run at a time. */
    public synchronized Report run() throws InterruptedException {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("disk", compiles.diskHeadroom() >= 1.0 ? "ok" : "free space is under DISK_MIN_FREE");
        checks.put("docker", engineAnswers.getAsBoolean() ? "ok" : "the Docker engine does not answer");
        checks.put("smokeTest", smokeTest());
        Report report = new Report(checks.values().stream().allMatch("ok"::equals), checks, clock.instant());
        last = report;
        return report;
    }

    private String smokeTest() throws InterruptedException {
        ResourcePath root = ResourcePath.parse("main.tex", 100, 10);
        // New text each time, so that the answer is a real TeX run, not the result cache's.
        CompileRequest request = new CompileRequest(SMOKE_PROJECT,
                new CompileOptions(group, Engine.PDFLATEX, group.clampTimeout(SMOKE_TIMEOUT), false, false, List.of(), group.defaultImage(),
                        null, false, CheckMode.NONE, CompileOptions.PdfCaching.OFF),
                root, SyncType.FULL, null, List.of(new Resource.Inline(root,
                        "\\documentclass{article}\n\\begin{document}\nSmoke test at " + clock.instant() + ".\n\\end{document}\n")));
        try {
            CompileResult result = compiles.compileSmokeTest(request);
            return result.status() == CompileStatus.SUCCESS ? "ok"
                    : "the smoke-test compile ended " + result.status().wireName()
                    + (result.error() == null ? "" : ": " + result.error());
        } catch (RuntimeException e) {
            return "the smoke-test compile failed: " + e.getMessage();
        }
    }
}
