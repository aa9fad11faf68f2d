package org.texfarm.compile;

import java.util.Map;
import org.texfarm.sandbox.PdfLinearization;

/**
 * What this service tells beside CLSI's {@code stats} and {@code timings}, whose keys stay exactly
 * CLSI's; answered as the {@code texfarm} field of a compile.
 *
 * @param timings        milliseconds of the stages CLSI does not have: {@code queue} (waiting for
 *                       a slot) and {@code sandbox} (having a sandbox hold the project)
 * @param resultCacheHit whether the answer is an earlier compile's, given again for unchanged input
 * @param preamble       whether TeX loaded the project's precompiled preamble
 * @param pdf            what became of {@code output.pdf} after TeX: linearized for fast web view or not
 */
public record CompileDetails(Map<String, Long> timings, boolean resultCacheHit, PreambleUse preamble,
                             PdfLinearization pdf) {
    /** The details of a compile that did not run TeX. */
    public static final CompileDetails NONE = new CompileDetails(Map.of(), false, PreambleUse.NONE, PdfLinearization.NOT_RUN);

    public CompileDetails {
        timings = Map.copyOf(timings);
    }

    /** These details, for the same result given again from the result cache after {@code timings}. */
    CompileDetails fromCache(Map<String, Long> timings) {
        return new CompileDetails(timings, true, preamble, pdf);
    }

    /** How a compile used the project's precompiled preamble. */
    public enum PreambleUse {
        /** It had none that fits, or compiled without. */
        NONE("none"),
        /** TeX loaded it. */
        USED("used"),
        /** TeX failed with it, and ran again without. */
        FELL_BACK("fell-back");

        private final String wireName;

        PreambleUse(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
