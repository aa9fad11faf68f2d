package org.texfarm.balancer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.texfarm.config.AgentSettings;

/**
 * Answers HAProxy's agent-check on a TCP port, as CLSI's load agent does: each connection gets
 * one line and is closed. {@code up, ready, NN%} gives the free capacity as the server's weight
 * (compile slots and queue places not taken, less when the disk runs low); {@code up, drain}
 * asks for no new work (set by an operator, while the service shuts down, or when the disk is
 * under its minimum); {@code maint} takes the server out.
 */
public final class LoadAgent {
    /** Below this much free disk, as a multiple of the minimum, the weight shrinks towards nothing. */
    private static final double DISK_COMFORT = 2.0;

    private final DoubleSupplier load;
    private final DoubleSupplier diskHeadroom;
    private final BooleanSupplier shuttingDown;
    private final AtomicReference<AgentState> state = new AtomicReference<>(AgentState.READY);
    private NetServer server;

    /**
     * @param load          compiles running or waiting, as a share of all places (0 to 1)
     * @param diskHeadroom  free disk as a multiple of the minimum (below 1, compiles are refused)
     * @param shuttingDown  whether the service is draining to stop
     */
    public LoadAgent(DoubleSupplier load, DoubleSupplier diskHeadroom, BooleanSupplier shuttingDown) {
        this.load = load;
        this.diskHeadroom = diskHeadroom;
        this.shuttingDown = shuttingDown;
    }

    /** Starts listening; returns the port. */
    public int start(Vertx vertx, AgentSettings settings) {
        server = vertx.createNetServer(new NetServerOptions().setHost(settings.listenAddress()).setPort(settings.port()))
                .connectHandler(socket -> socket.end(Buffer.buffer(answer() + "\n")));
        return server.listen().await().actualPort();
    }

    public AgentState state() {
        return state.get();
    }

    public void state(AgentState next) {
        state.set(next);
    }

    /** The line the agent answers now. */
    public String answer() {
        AgentState current = state.get();
        if (current == AgentState.MAINT) {
            return "maint";
        }
        double headroom = diskHeadroom.getAsDouble();
        if (current == AgentState.DRAIN || shuttingDown.getAsBoolean() || headroom < 1.0) {
            return "up, drain";
        }
        double diskFactor = Math.min(1.0, (headroom - 1.0) / (DISK_COMFORT - 1.0));
        long percent = Math.round(100 * (1.0 - load.getAsDouble()) * diskFactor);
        return "up, ready, " + Math.max(1, percent) + "%";
    }
}
