package org.texfarm.compile;

import java.util.List;
import java.util.Map;
import org.texfarm.logs.LogAnnotation;
import org.texfarm.output.OutputFile;
import org.texfarm.output.PdfChunks;
import org.texfarm.sync.ResourceError;

/**
 * What a compile produced.
 *
 * @param status         the outcome
 * @param error          why it went wrong, or null
 * @param buildId        the build holding the outputs, or null when none was made
 * @param outputFiles    the build's files
 * @param stats          CLSI's counters, exactly its keys ({@code latex-runs}, {@code pdf-size}...)
 * @param timings        CLSI's milliseconds per stage, exactly its keys
 * @param details        what this service adds: its own stages, caches and the PDF's linearization
 * @param resourceErrors downloads that failed; the compile went on without them
 * @param annotations    the errors, warnings and bad boxes of the build's TeX and bibliography logs
 * @param pdfCaching     the byte ranges of {@code output.pdf} for Overleaf's viewer, or null when
 *                       the compile did not ask for them or the PDF is served whole
 */
public record CompileResult(
        CompileStatus status,
        String error,
        String buildId,
        List<OutputFile> outputFiles,
        Map<String, Long> stats,
        Map<String, Long> timings,
        CompileDetails details,
        List<ResourceError> resourceErrors,
        List<LogAnnotation> annotations,
        PdfChunks.Indexed pdfCaching) {

    public CompileResult {
        outputFiles = List.copyOf(outputFiles);
        stats = Map.copyOf(stats);
        timings = Map.copyOf(timings);
        resourceErrors = List.copyOf(resourceErrors);
        annotations = List.copyOf(annotations);
    }

    /** A result with no build: the request was refused or failed before TeX ran. */
    public static CompileResult refused(CompileStatus status, String error) {
        return new CompileResult(status, error, null, List.of(), Map.of(), Map.of(), CompileDetails.NONE, List.of(), List.of(), null);
    }
}
