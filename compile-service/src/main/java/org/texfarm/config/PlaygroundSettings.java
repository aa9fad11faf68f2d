package org.texfarm.config;

import java.time.Duration;

/**
 * The playground page ({@code GET /playground}): a demo editor served by the service itself.
 *
 * @param enabled       whether the page and its projects exist
 * @param group         the compile group its compiles run in, with modest limits of its own so
 *                      that a demo never starves editors
 * @param projectIdle   how long a playground project lives without a compile
 */
public record PlaygroundSettings(boolean enabled, String group, Duration projectIdle) {
    /** The project ids of the playground's projects start with this; they compile in its group only. */
    public static final String PROJECT_PREFIX = "playground-";

    public boolean owns(String projectId) {
        return enabled && projectId.startsWith(PROJECT_PREFIX);
    }
}
