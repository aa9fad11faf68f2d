package org.texfarm.config;

import java.time.Duration;
import java.util.List;

/**
 * A named profile of limits that a compile request selects with {@code options.compileGroup}.
 *
 * @param name           the name requests use
 * @param maxConcurrent  most compiles of this group that run at once (within MAX_CONCURRENT_COMPILES)
 * @param queueSize      most compiles of this group that wait for a slot; past that, 503
 * @param defaultTimeout timeout of a request that names none
 * @param maxTimeout     longer requested timeouts are clamped to this
 * @param limits         the sandbox limits its compiles run under
 * @param images         the images its requests may name; the first is the one used when they name none
 */
public record CompileGroup(
        String name,
        int maxConcurrent,
        int queueSize,
        Duration defaultTimeout,
        Duration maxTimeout,
        SandboxLimits limits,
        List<String> images) {

    public CompileGroup {
        images = List.copyOf(images);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("compile group " + name + " allows no image");
        }
    }

    public String defaultImage() {
        return images.getFirst();
    }

    /** The timeout, or the group's maximum when it is longer. */
    public Duration clampTimeout(Duration timeout) {
        return timeout.compareTo(maxTimeout) <= 0 ? timeout : maxTimeout;
    }
}
