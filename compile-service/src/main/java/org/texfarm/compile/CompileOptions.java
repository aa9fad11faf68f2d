package org.texfarm.compile;

import java.time.Duration;
import java.util.List;
import org.texfarm.config.CompileGroup;

/**
 * The options of one compile, validated.
 *
 * @param group            the compile group whose limits it runs under
 * @param engine           the TeX engine
 * @param timeout          wall-clock limit, already clamped to the group's maximum
 * @param stopOnFirstError stop at the first TeX error instead of forcing on
 * @param draft            typeset graphics as boxes
 * @param flags            extra engine flags, each on the allowlist
 * @param image            the TeX Live image, one the group allows
 * @param buildId          a client-chosen build id, or null for a fresh one
 * @param clean            delete the files earlier compiles left (auxiliary files) and compile from scratch
 * @param check            whether chktex checks the main file first, and what it decides
 * @param pdfCaching       whether the PDF gets byte ranges for Overleaf's viewer
 */
public record CompileOptions(
        CompileGroup group,
        Engine engine,
        Duration timeout,
        boolean stopOnFirstError,
        boolean draft,
        List<String> flags,
        String image,
        String buildId,
        boolean clean,
        CheckMode check,
        PdfCaching pdfCaching) {
    public CompileOptions {
        flags = List.copyOf(flags);
    }

    /**
     * PDF caching as a compile asks for it ({@code enablePdfCaching}, {@code pdfCachingMinChunkSize})
     * and the server allows.
     *
     * @param enabled       whether {@code output.pdf} gets ranges
     * @param minChunkBytes the smallest object that is a range
     */
    public record PdfCaching(boolean enabled, int minChunkBytes) {
        public static final PdfCaching OFF = new PdfCaching(false, 1);

        public PdfCaching {
            if (minChunkBytes < 1) {
                throw new IllegalArgumentException("minChunkBytes must be at least 1, not " + minChunkBytes);
            }
        }
    }
}
