package org.texfarm.loadtest.drive;

import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.texfarm.loadtest.report.Results;
import org.texfarm.loadtest.target.CompileTarget;
import org.texfarm.loadtest.target.Outcome;
import org.texfarm.loadtest.workload.CompileKind;
import org.texfarm.loadtest.workload.Project;
import org.texfarm.loadtest.workload.Workload;

/**
 * One run of a load model against a target, within its limits: it sends compiles, records each
 * into {@link Results}, and stops by itself when the time or the request budget is spent.
 */
public final class LoadRun {
    /** Idle projects the open model keeps for its edits and unchanged recompiles; older ones are dropped. */
    private static final int IDLE_PROJECTS = 1000;

    private final LoadModel model;
    private final RunLimits limits;
    private final Workload workload;
    private final CompileTarget target;
    private final Duration interval;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong budget;
    private final Deque<Project> idle = new ConcurrentLinkedDeque<>();
    private volatile Results results;

    /** @param interval the resolution of the results' timeline */
    public LoadRun(LoadModel model, RunLimits limits, Workload workload, CompileTarget target, Duration interval) {
        this.model = model;
        this.limits = limits;
        this.workload = workload;
        this.target = target;
        this.interval = interval;
        this.budget = new AtomicLong(limits.maxRequests());
    }

    /** Compiles sent and not answered yet. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The results so far, once the run has started; null before. */
    public Results results() {
        return results;
    }

    /** Runs to the end: the warm-up, the duration, then the drain of compiles in flight. */
    public Results run() throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + limits.warmup().toNanos();
        long end = measureFrom + limits.duration().toNanos();
        results = new Results(target.name(), start, measureFrom, interval);
        ExecutorService compiles = Executors.newVirtualThreadPerTaskExecutor();
        try {
            switch (model) {
                case LoadModel.Open open -> dispatch(open, start, end, compiles);
                case LoadModel.Closed closed -> startEditors(closed, start, end, compiles);
            }
            compiles.shutdown();
            // Closed-model editors stop at the end by themselves; what is in flight then gets the drain time.
            long wait = end - System.nanoTime() + limits.drain().toNanos();
            compiles.awaitTermination(Math.max(0, wait), TimeUnit.NANOSECONDS);
        } finally {
            compiles.shutdownNow();
            compiles.awaitTermination(10, TimeUnit.SECONDS);
        }
        return results;
    }

    /** The open model: each compile leaves at its time in the schedule, whatever the earlier ones do. */
    private void dispatch(LoadModel.Open open, long start, long end, ExecutorService compiles) throws InterruptedException {
        for (long i = 0; ; i++) {
            long intended = start + limits.arrivalNanos(i, open.ratePerSecond());
            if (intended >= end || !takeFromBudget()) {
                return;
            }
            sleepUntil(intended);
            CompileKind kind = workload.nextKind();
            Workload.Compile compile = workload.next(kind == CompileKind.FIRST ? null : idle.pollFirst(), kind);
            compiles.execute(() -> {
                if (send(compile, intended)) {
                    idle.addFirst(compile.project());
                    while (idle.size() > IDLE_PROJECTS) {
                        idle.pollLast();
                    }
                }
            });
        }
    }

    /** The closed model: each editor compiles, waits for the answer, thinks, and again. */
    private void startEditors(LoadModel.Closed closed, long start, long end, ExecutorService compiles) {
        for (int editor = 0; editor < closed.editors(); editor++) {
            long begin = start + limits.ramp().toNanos() * editor / closed.editors();
            compiles.execute(() -> {
                try {
                    sleepUntil(begin);
                    Project project = null;
                    while (System.nanoTime() < end && takeFromBudget()) {
                        Workload.Compile compile = workload.next(project, workload.nextKind());
                        project = compile.project();
                        if (!send(compile, System.nanoTime())) {
                            return;
                        }
                        sleepUntil(Math.min(end, System.nanoTime() + thinkNanos(closed.think())));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Sends one compile and records it; false when the run abandoned it. */
    private boolean send(Workload.Compile compile, long intended) {
        results.sent();
        inFlight.incrementAndGet();
        Outcome outcome;
        try {
            outcome = target.compile(compile.project(), compile.kind());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            outcome = Outcome.failed("client-error", e.toString());
        } finally {
            inFlight.decrementAndGet();
        }
        if (!outcome.rejected()) {
            compile.project().markCompiled();
        }
        results.record(compile.project().document().name(), compile.kind(), outcome, intended, System.nanoTime());
        return true;
    }

    private boolean takeFromBudget() {
        return budget.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
    }

    private static long thinkNanos(Duration mean) {
        if (mean.isZero()) {
            return 0;
        }
        return Math.round(-mean.toNanos() * Math.log(1 - ThreadLocalRandom.current().nextDouble()));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
