package org.texfarm.compile;

/** The outcome of a compile request, with its name on the wire and its HTTP status code. */
public enum CompileStatus {
    SUCCESS("success", 200),
    FAILURE("failure", 200),
    STOPPED_ON_FIRST_ERROR("stopped-on-first-error", 200),
    TIMEDOUT("timedout", 200),
    TERMINATED("terminated", 200),
    VALIDATION_PASS("validation-pass", 200),
    VALIDATION_FAIL("validation-fail", 200),
    COMPILE_IN_PROGRESS("compile-in-progress", 423),
    CONFLICT("conflict", 409),
    UNAVAILABLE("unavailable", 503),
    ERROR("error", 500);

    private final String wireName;
    private final int httpStatus;

    CompileStatus(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
