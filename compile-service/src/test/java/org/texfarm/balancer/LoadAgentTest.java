package org.texfarm.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoadAgentTest {
    private final AtomicReference<Double> load = new AtomicReference<>(0.0);
    private final AtomicReference<Double> disk = new AtomicReference<>(10.0);
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final LoadAgent agent = new LoadAgent(load::get, disk::get, shuttingDown::get);

    @Test
    void weighsByTheFreeShareOfCompilePlaces() {
        assertThat(agent.answer()).isEqualTo("up, ready, 100%");
        load.set(0.75);
        assertThat(agent.answer()).isEqualTo("up, ready, 25%");
        load.set(1.0);
        assertThat(agent.answer()).isEqualTo("up, ready, 1%");
    }

    @Test
    void weighsLessAsTheDiskNearsItsMinimumAndDrainsBelowIt() {
        disk.set(1.5);
        assertThat(agent.answer()).isEqualTo("up, ready, 50%");
        disk.set(0.9);
        assertThat(agent.answer()).isEqualTo("up, drain");
    }

    @Test
    void drainsWhileTheServiceShutsDownAndFollowsTheOperator() {
        shuttingDown.set(true);
        assertThat(agent.answer()).isEqualTo("up, drain");
        shuttingDown.set(false);
        agent.state(AgentState.MAINT);
        assertThat(agent.answer()).isEqualTo("maint");
        agent.state(AgentState.DRAIN);
        assertThat(agent.answer()).isEqualTo("up, drain");
    }
}
