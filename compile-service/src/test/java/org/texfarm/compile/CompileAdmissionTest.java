package org.texfarm.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.texfarm.ProjectKey;

class CompileAdmissionTest {
    @Test
    void admitsSlotsPlusQueueThenRefusesUntilATicketCloses() throws Exception {
        CompileAdmission admission = new CompileAdmission(1, 1, new SimpleMeterRegistry());
        CompileAdmission.Ticket running = admission.enter();
        running.awaitSlot();
        CompileAdmission.Ticket queued = admission.enter();

        assertThatThrownBy(admission::enter).isInstanceOf(ServiceBusyException.class)
                .satisfies(e -> assertThat(((ServiceBusyException) e).retryAfter()).isPositive());

        running.close();
        queued.awaitSlot();
        CompileAdmission.Ticket next = admission.enter();
        queued.close();
        next.awaitSlot();
        next.close();
    }

    @Test
    void closingATicketTwiceReleasesOnce() throws Exception {
        CompileAdmission admission = new CompileAdmission(1, 0, new SimpleMeterRegistry());
        CompileAdmission.Ticket ticket = admission.enter();
        ticket.awaitSlot();
        ticket.close();
        ticket.close();

        CompileAdmission.Ticket again = admission.enter();
        assertThatThrownBy(admission::enter).isInstanceOf(ServiceBusyException.class);
        again.close();
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
