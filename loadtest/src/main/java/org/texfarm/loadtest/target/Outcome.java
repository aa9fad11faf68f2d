package org.texfarm.loadtest.target;

import java.util.Map;
import java.util.Set;

/**
 * How one compile ended, as the client saw it.
 *
 * @param status the compile's status when it was answered (CLSI's {@code success}, {@code failure},
 *               {@code timedout}...), else {@code http-NNN}, {@code client-timeout} or {@code connection-error}
 * @param cached whether the answer came from the service's result cache, with no TeX run
 * @param stages the service's own {@code timings} (milliseconds by stage), empty when it gave none
 * @param error  what went wrong, or null
 */
public record Outcome(String status, boolean cached, Map<String, Long> stages, String error) {
    private static final Set<String> REJECTIONS = Set.of("http-503", "http-423", "http-429");

    public Outcome {
        stages = Map.copyOf(stages);
    }

    public static Outcome failed(String status, String error) {
        return new Outcome(status, false, Map.of(), error);
    }

    public boolean succeeded() {
        return status.equals("success");
    }

    /** Turned away without compiling (busy, project locked): a client retries these. */
    public boolean rejected() {
        return isRejection(status);
    }

    public static boolean isRejection(String status) {
        return REJECTIONS.contains(status);
    }
}
