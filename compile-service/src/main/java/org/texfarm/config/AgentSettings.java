package org.texfarm.config;

/**
 * The load-balancer agent: a TCP port answering HAProxy's agent-check.
 *
 * @param port          the port; 0 takes any free one
 * @param listenAddress the address it listens on
 */
public record AgentSettings(int port, String listenAddress) {
}
