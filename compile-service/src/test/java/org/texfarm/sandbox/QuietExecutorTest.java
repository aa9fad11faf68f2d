package org.texfarm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Background engine work, on fake time and a hand-run executor. */
class QuietExecutorTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicBoolean busy = new AtomicBoolean();
    /** What the executor was handed and has not run yet. */
    private final Deque<Runnable> handed = new ArrayDeque<>();
    private final List<String> ran = new ArrayList<>();
    private final QuietExecutor quiet = new QuietExecutor(handed::add, busy::get, Duration.ofSeconds(2), now::get);

    private void runHanded() {
        for (Runnable next; (next = handed.poll()) != null; ) {
            next.run();
        }
    }

    @Test
    void waitsWhileACompileRunsAndThenRuns() {
        busy.set(true);
        quiet.execute(() -> ran.add("removal"));

        quiet.drain();
        assertThat(handed).isEmpty();

        busy.set(false);
        quiet.drain();
        runHanded();
        assertThat(ran).containsExactly("removal");
    }

    @Test
    void runsAnywayOnceItHasWaitedTheLongestDelay() {
        busy.set(true);
        quiet.execute(() -> ran.add("removal"));
        now.addAndGet(Duration.ofMillis(1999).toNanos());
        quiet.drain();
        assertThat(handed).isEmpty();

        now.addAndGet(Duration.ofMillis(1).toNanos());
        quiet.drain();
        runHanded();
        assertThat(ran).containsExactly("removal");
    }

    @Test
    void runsOneTaskAtATimeInOrder() {
        quiet.execute(() -> ran.add("first"));
        quiet.execute(() -> ran.add("second"));

        quiet.drain();
        quiet.drain();
        assertThat(handed).hasSize(1);

        runHanded();
        quiet.drain();
        runHanded();
        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void handsEverythingOverAtShutdown() {
        busy.set(true);
        quiet.execute(() -> ran.add("first"));
        quiet.execute(() -> ran.add("second"));

        quiet.flush();
        runHanded();
        assertThat(ran).containsExactly("first", "second");
    }
}
