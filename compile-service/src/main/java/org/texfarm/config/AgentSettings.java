package org.texfarm.config;

/**
 * The load-balancer agent: a TCP port answering HAProxy's agent-check.
 *
 * @param port          the port; 0 takes any free one
 * @param listenAddress the address it listens on
 * @param reportLoad    whether the weight it answers falls as compiles take the server's places;
 *                      when not, it is 100% but for a disk running low, so that a balancer that
 *                      hashes projects onto servers does not move them as load comes and goes
 */
public record AgentSettings(int port, String listenAddress, boolean reportLoad) {
}
