package org.texfarm.sandbox;

import java.util.Arrays;

/** What the sandbox did to a job's {@code output.pdf} after the command, as its launcher reports it. */
public enum PdfLinearization {
    /** Not asked for, no PDF, or the job did not end by itself. */
    NOT_RUN("none"),
    /** The PDF was linearized already. */
    ALREADY("already"),
    /** qpdf linearized it. */
    LINEARIZED("linearized"),
    /** qpdf failed: the PDF is as TeX left it. */
    FAILED("failed"),
    /** Too little of the timeout was left: the PDF is as TeX left it. */
    OUT_OF_TIME("out-of-time");

    private final String wireName;

    PdfLinearization(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The outcome the launcher reported under this name; {@link #NOT_RUN} for anything else. */
    static PdfLinearization reported(String name) {
        return Arrays.stream(values()).filter(value -> value.wireName.equals(name)).findFirst().orElse(NOT_RUN);
    }
}
