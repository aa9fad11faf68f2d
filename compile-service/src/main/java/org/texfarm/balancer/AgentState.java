package org.texfarm.balancer;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.texfarm.InvalidRequestException;

/** What an operator tells the load balancer about this server, through the agent. */
public enum AgentState {
    /** Takes compiles, weighted by its free capacity. */
    READY,
    /** Finishes what it has, takes nothing new: before a restart. */
    DRAIN,
    /** Out of service. */
    MAINT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgentState fromWireName(String name) {
        for (AgentState state : values()) {
            if (state.wireName().equals(name)) {
                return state;
            }
        }
        throw new InvalidRequestException("unknown agent state '" + name + "': use one of "
                + Arrays.stream(values()).map(AgentState::wireName).collect(Collectors.joining(", ")));
    }
}
