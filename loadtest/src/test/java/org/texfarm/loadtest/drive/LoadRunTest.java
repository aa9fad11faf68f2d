package org.texfarm.loadtest.drive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.texfarm.loadtest.corpus.Corpus;
import org.texfarm.loadtest.report.RunSummary;
import org.texfarm.loadtest.target.CompileTarget;
import org.texfarm.loadtest.target.Outcome;
import org.texfarm.loadtest.workload.CompileKind;
import org.texfarm.loadtest.workload.Project;
import org.texfarm.loadtest.workload.Weighted;
import org.texfarm.loadtest.workload.Workload;

/** The load models against fake targets: schedules, concurrency and bounds. */
@Timeout(30)
class LoadRunTest {
    private static final Outcome SUCCESS = new Outcome("success", false, Map.of(), null);

    /** A target that answers after {@code answer} runs, and notes when each compile came and went. */
    private static final class FakeTarget implements CompileTarget {
        final List<Long> arrivals = new CopyOnWriteArrayList<>();
        final List<Long> answers = new CopyOnWriteArrayList<>();
        final List<CompileKind> kinds = new CopyOnWriteArrayList<>();
        final List<String> projects = new CopyOnWriteArrayList<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostRunning = new AtomicInteger();
        private final Duration answer;

        FakeTarget(Duration answer) {
            this.answer = answer;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Outcome compile(Project project, CompileKind kind) throws InterruptedException {
            arrivals.add(System.nanoTime());
            kinds.add(kind);
            projects.add(project.id());
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(answer);
            } finally {
                running.decrementAndGet();
            }
            answers.add(System.nanoTime());
            return SUCCESS;
        }

        @Override
        public void close() {
        }
    }

    private static Workload workload(String mix) {
        return new Workload(Weighted.of(Map.of(Corpus.builtIn("hello"), 1.0)),
                Weighted.parse(mix, name -> CompileKind.valueOf(name.toUpperCase(java.util.Locale.ROOT))), "test", 1);
    }

    private static RunSummary run(LoadModel model, RunLimits limits, FakeTarget target) throws InterruptedException {
        return new LoadRun(model, limits, workload("first=1,edit=8,unchanged=1"), target, Duration.ofMillis(100))
                .run().summary(limits.duration().toNanos() / 1e9);
    }

    private static RunLimits limits(Duration warmup, Duration duration, long maxRequests, Duration drain) {
        return new RunLimits(warmup, duration, Duration.ZERO, maxRequests, drain);
    }

    @Test
    void theOpenModelKeepsItsScheduleWhenTheServerIsSlow() throws Exception {
        FakeTarget slow = new FakeTarget(Duration.ofSeconds(1));

        RunSummary summary = run(new LoadModel.Open(20), limits(Duration.ZERO, Duration.ofMillis(500), 1000,
                Duration.ofSeconds(5)), slow);

        assertThat(slow.arrivals).as("one compile every 50 ms for 500 ms").hasSize(10);
        assertThat(slow.arrivals.getLast()).as("all sent before the first answer").isLessThan(slow.answers.getFirst());
        assertThat(summary.completed()).isEqualTo(10);
        assertThat(summary.latency().p50()).as("latency counts the whole wait").isGreaterThanOrEqualTo(1000);
    }

    @Test
    void theOpenModelRampsUpToItsRate() {
        RunLimits limits = new RunLimits(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(4), 1000, Duration.ZERO);

        assertThat(limits.arrivalNanos(0, 10)).isZero();
        // 10/s reached after 4 s of ramp: 20 arrivals in the ramp, then one every 100 ms.
        assertThat(limits.arrivalNanos(20, 10)).isEqualTo(Duration.ofSeconds(4).toNanos());
        assertThat(limits.arrivalNanos(30, 10)).isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(limits.arrivalNanos(5, 10)).isEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void theClosedModelHasAtMostOneCompilePerEditorInFlight() throws Exception {
        FakeTarget target = new FakeTarget(Duration.ofMillis(20));

        RunSummary summary = run(new LoadModel.Closed(3, Duration.ZERO), limits(Duration.ZERO, Duration.ofMillis(600),
                1000, Duration.ofSeconds(5)), target);

        assertThat(target.mostRunning.get()).isEqualTo(3);
        assertThat(summary.completed()).isGreaterThan(3).isEqualTo(target.answers.size());
    }

    @Test
    void stopsAtTheRequestBudget() throws Exception {
        FakeTarget target = new FakeTarget(Duration.ofMillis(5));

        RunSummary summary = run(new LoadModel.Closed(2, Duration.ZERO), limits(Duration.ZERO, Duration.ofMinutes(10), 7,
                Duration.ofSeconds(5)), target);

        assertThat(target.arrivals).hasSize(7);
        assertThat(summary.sent()).isEqualTo(7);
    }

    @Test
    void stopsAtItsEndAndAbandonsAnswersThatNeverCome() throws Exception {
        FakeTarget silent = new FakeTarget(Duration.ofHours(1));

        RunSummary summary = run(new LoadModel.Open(20), limits(Duration.ZERO, Duration.ofMillis(200), 1000,
                Duration.ofMillis(300)), silent);

        assertThat(silent.arrivals).hasSize(4);
        assertThat(summary.sent()).isEqualTo(4);
        assertThat(summary.completed()).isZero();
        assertThat(silent.running.get()).as("nothing left running").isZero();
    }

    @Test
    void doesNotMeasureTheWarmUp() throws Exception {
        FakeTarget target = new FakeTarget(Duration.ofMillis(10));

        RunSummary summary = run(new LoadModel.Open(50), limits(Duration.ofMillis(300), Duration.ofMillis(300), 1000,
                Duration.ofSeconds(5)), target);

        assertThat(summary.sent()).isEqualTo(30);
        assertThat(summary.completed() + summary.cacheHits()).isEqualTo(15);
    }

    @Test
    void editorsEditTheirProjectAfterItsFirstCompile() throws Exception {
        FakeTarget target = new FakeTarget(Duration.ZERO);

        new LoadRun(new LoadModel.Closed(1, Duration.ZERO), limits(Duration.ZERO, Duration.ofMinutes(1), 5, Duration.ZERO),
                workload("edit=1"), target, Duration.ofSeconds(1)).run();

        assertThat(target.kinds).containsExactly(CompileKind.FIRST, CompileKind.EDIT, CompileKind.EDIT,
                CompileKind.EDIT, CompileKind.EDIT);
        assertThat(target.projects).containsOnly(target.projects.getFirst());
    }
}
