package org.texfarm.loadtest.workload;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.texfarm.loadtest.corpus.Document;

/**
 * What editors do: which document a new project is, and which kind of compile comes next. The
 * same seed gives the same sequence of choices, so a bare run can repeat a service run's mix.
 */
public final class Workload {
    private final Weighted<Document> documents;
    private final Weighted<CompileKind> mix;
    private final String runId;
    private final long seed;
    private final Random random;
    private final AtomicLong projects = new AtomicLong();

    /** @param runId part of every project id, so that two runs against one service never share a project */
    public Workload(Weighted<Document> documents, Weighted<CompileKind> mix, String runId, long seed) {
        this.documents = documents;
        this.mix = mix;
        this.runId = runId;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /**
     * A compile an editor is about to make.
     *
     * @param project the project, as it is to be compiled
     * @param kind    what changed since its last compile
     */
    public record Compile(Project project, CompileKind kind) {
    }

    /** The kind of the next compile, by the mix. */
    public CompileKind nextKind() {
        return mix.pick(random);
    }

    /**
     * The compile of that kind an editor who works on {@code project} makes: a new project's first
     * compile when they have none (null) or the kind is {@code FIRST}.
     */
    public Compile next(Project project, CompileKind kind) {
        if (project == null || kind == CompileKind.FIRST) {
            return new Compile(newProject(), CompileKind.FIRST);
        }
        if (!project.compiled()) {
            return new Compile(project, CompileKind.FIRST);
        }
        if (kind == CompileKind.EDIT) {
            project.editAWord();
        }
        return new Compile(project, kind);
    }

    private Project newProject() {
        long number = projects.incrementAndGet();
        return new Project("lt-" + runId + "-" + number, documents.pick(random), seed + number);
    }
}
