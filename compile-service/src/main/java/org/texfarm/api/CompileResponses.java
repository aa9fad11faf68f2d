package org.texfarm.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.TreeMap;
import org.texfarm.compile.CompileDetails;
import org.texfarm.compile.CompileResult;
import org.texfarm.compile.CompileStatus;
import org.texfarm.ProjectKey;
import org.texfarm.output.OutputFile;
import org.texfarm.output.PdfChunks;
import org.texfarm.output.PdfRanges;

/**
 * Compile results in CLSI's response format: CLSI's fields with exactly its keys, and what this
 * service adds in one field of its own, {@value #DETAILS_FIELD}.
 */
final class CompileResponses {
    static final String DETAILS_FIELD = "texfarm";

    private final String publicBaseUrl;

    CompileResponses(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
    }

    JsonObject toJson(ProjectKey project, CompileResult result) {
        JsonObject compile = new JsonObject().put("status", result.status().wireName());
        if (result.error() != null) {
            compile.put("error", result.error());
        }
        if (result.buildId() != null) {
            compile.put("buildId", result.buildId());
        }
        JsonArray files = new JsonArray();
        for (OutputFile file : result.outputFiles()) {
            JsonObject entry = new JsonObject()
                    .put("url", publicBaseUrl + project.urlPrefix() + "/build/" + file.build() + "/output/" + file.path())
                    .put("path", file.path())
                    .put("type", file.type())
                    .put("build", file.build())
                    .put("size", file.size());
            if (file.path().equals("output.pdf") && result.pdfCaching() != null) {
                addRanges(entry, result.pdfCaching());
            }
            files.add(entry);
        }
        compile.put("outputFiles", files);
        compile.put("stats", new JsonObject(new TreeMap<>(result.stats())));
        compile.put("timings", new JsonObject(new TreeMap<>(result.timings())));
        CompileDetails details = result.details();
        compile.put(DETAILS_FIELD, new JsonObject()
                .put("timings", new JsonObject(new TreeMap<>(details.timings())))
                .put("resultCacheHit", details.resultCacheHit())
                .put("precompiledPreamble", details.preamble().wireName())
                .put("pdfLinearization", details.pdf().wireName()));
        if (!result.resourceErrors().isEmpty()) {
            JsonArray errors = new JsonArray();
            result.resourceErrors().forEach(e -> errors.add(new JsonObject()
                    .put("path", e.path()).put("url", e.url()).put("error", e.error())));
            compile.put("resourceErrors", errors);
        }
        JsonArray annotations = new JsonArray();
        result.annotations().forEach(annotation -> annotations.add(new JsonObject()
                .put("level", annotation.level().wireName())
                .put("file", annotation.file())
                .put("line", annotation.line())
                .put("message", annotation.message())
                .put("excerpt", annotation.excerpt())));
        compile.put("annotations", annotations);
        return new JsonObject().put("compile", compile);
    }

    /** PDF caching's fields on {@code output.pdf}'s entry, as CLSI gives them (its {@code startXRefTable} is never set). */
    private static void addRanges(JsonObject entry, PdfChunks.Indexed pdfCaching) {
        JsonArray ranges = new JsonArray();
        for (PdfRanges.Range range : pdfCaching.ranges()) {
            ranges.add(new JsonObject()
                    .put("objectId", range.objectId())
                    .put("start", range.start())
                    .put("end", range.end())
                    .put("hash", range.hash()));
        }
        entry.put("contentId", pdfCaching.contentId()).put("ranges", ranges);
    }

    static JsonObject refused(CompileStatus status, String error) {
        return new JsonObject().put("compile", new JsonObject()
                .put("status", status.wireName())
                .put("error", error)
                .put("outputFiles", new JsonArray()));
    }
}
