package org.texfarm.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.texfarm.ProjectKey;
import org.texfarm.config.CompileGroup;
import org.texfarm.config.SandboxLimits;
import org.texfarm.config.ServiceConfig;

class CompileAdmissionTest {
    private static final SandboxLimits LIMITS = ServiceConfig.fromEnvironment(Map.of("DATA_DIR", "/tmp/unused"))
            .groups().defaultGroup().limits();
    private static final CompileGroup STANDARD = group("standard", 8, 100);

    private static CompileGroup group(String name, int maxConcurrent, int queueSize) {
        return new CompileGroup(name, maxConcurrent, queueSize, Duration.ofSeconds(60), Duration.ofSeconds(60), LIMITS,
                List.of("image"));
    }

    private static CompileAdmission admission(int slots, int queue, CompileGroup... groups) {
        return new CompileAdmission(slots, queue, List.of(groups), new SimpleMeterRegistry());
    }

    @Test
    void admitsSlotsPlusQueueThenRefusesUntilATicketCloses() throws Exception {
        CompileAdmission admission = admission(1, 1, STANDARD);
        CompileAdmission.Ticket running = admission.enter(STANDARD);
        running.awaitSlot();
        CompileAdmission.Ticket queued = admission.enter(STANDARD);

        assertThatThrownBy(() -> admission.enter(STANDARD)).isInstanceOf(ServiceBusyException.class)
                .satisfies(e -> assertThat(((ServiceBusyException) e).retryAfter()).isPositive());

        running.close();
        queued.awaitSlot();
        CompileAdmission.Ticket next = admission.enter(STANDARD);
        queued.close();
        next.awaitSlot();
        next.close();
    }

    @Test
    void closingATicketTwiceReleasesOnce() throws Exception {
        CompileAdmission admission = admission(1, 0, STANDARD);
        CompileAdmission.Ticket ticket = admission.enter(STANDARD);
        ticket.awaitSlot();
        ticket.close();
        ticket.close();

        CompileAdmission.Ticket again = admission.enter(STANDARD);
        assertThatThrownBy(() -> admission.enter(STANDARD)).isInstanceOf(ServiceBusyException.class);
        again.close();
    }

    @Test
    void aGroupRunsAtMostItsMaximumWhileAnotherGroupTakesTheFreeSlot() throws Exception {
        CompileGroup batch = group("batch", 1, 1);
        CompileGroup priority = group("priority", 2, 0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CompileAdmission admission = new CompileAdmission(2, 10, List.of(batch, priority), registry);

        CompileAdmission.Ticket firstBatch = admission.enter(batch);
        firstBatch.awaitSlot();
        CompileAdmission.Ticket secondBatch = admission.enter(batch);
        assertThatThrownBy(() -> admission.enter(batch)).isInstanceOf(ServiceBusyException.class)
                .hasMessageContaining("group 'batch'");
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                secondBatch.awaitSlot();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        CompileAdmission.Ticket urgent = admission.enter(priority);
        urgent.awaitSlot();

        assertThat(registry.get("compiles.running").tag("group", "batch").gauge().value()).isEqualTo(1);
        assertThat(registry.get("compiles.queued").tag("group", "batch").gauge().value()).isEqualTo(1);
        assertThat(registry.get("compiles.running").tag("group", "priority").gauge().value()).isEqualTo(1);
        assertThat(waiting).isNotDone();
        firstBatch.close();
        urgent.close();
        waiting.get(10, TimeUnit.SECONDS);
        secondBatch.close();
        assertThat(admission.load()).isZero();
    }

    @Test
    void projectLocksAdmitOneHolderAndReleaseOnClose() {
        ProjectLocks locks = new ProjectLocks();
        ProjectKey project = ProjectKey.of("p", null);
        ProjectKey user = ProjectKey.of("p", "0123456789abcdef01234567");

        ProjectLocks.Holder holder = locks.acquire(project);
        assertThatThrownBy(() -> locks.acquire(project)).isInstanceOf(CompileInProgressException.class);
        locks.acquire(user).close();
        holder.close();

        assertThat(holder.released()).isDone();
        assertThat(locks.current(project)).isEmpty();
        locks.acquire(project).close();
    }
}
