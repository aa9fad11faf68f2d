package org.texfarm.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.InvalidRequestException;
import org.texfarm.ProjectKey;
import org.texfarm.config.ConversionSettings;
import org.texfarm.convert.Conversions;
import org.texfarm.convert.Converted;
import org.texfarm.convert.DocumentType;
import org.texfarm.convert.ExportType;

/**
 * CLSI's conversion routes. Uploads ({@code qqfile}, as CLSI's multer reads it) are capped at
 * {@code MAX_UPLOAD_SIZE}, written under the data directory and deleted when the request ends; a
 * switched-off conversion has no route, so answers 404, as CLSI's does.
 */
final class ConversionRoutes {
    private static final Logger log = LoggerFactory.getLogger(ConversionRoutes.class);
    private static final String UPLOAD_FIELD = "qqfile";

    /**
     * Names the conversion whose output a JSON answer stores, so that a load balancer can send the
     * output's download, {@code /project/<conversionId>/...}, to the server that made it.
     */
    static final String CONVERSION_HEADER = "X-Conversion-Id";

    private final ConversionSettings settings;
    private final Conversions conversions;
    private final CompileRequestParser parser;
    private final Offload offload;
    private final ExecutorService executor;

    ConversionRoutes(ConversionSettings settings, Conversions conversions, CompileRequestParser parser, Offload offload,
                     ExecutorService executor) {
        this.settings = settings;
        this.conversions = conversions;
        this.parser = parser;
        this.offload = offload;
        this.executor = executor;
    }

    /** Adds the routes of the conversions that are on; the others are not routes, so 404. */
    void register(Router router, BodyHandler json, Path uploads, long maxUploadBytes) {
        BodyHandler upload = BodyHandler.create(uploads.toString()).setBodyLimit(maxUploadBytes)
                .setDeleteUploadedFilesOnEnd(true).setMergeFormAttributes(false);
        if (settings.documents()) {
            router.post("/convert/document-to-latex").handler(upload)
                    .handler(ctx -> documentToLatex(ctx, ctx.queryParams().get("type")));
            // The older name of the same route, for Word files only.
            router.post("/convert/docx-to-latex").handler(upload).handler(ctx -> documentToLatex(ctx, "docx"));
            router.post("/project/:projectId/user/:userId/download/project-to-document").handler(json)
                    .handler(this::projectToDocument);
        }
        if (settings.pdfs()) {
            router.post("/convert/pdf-to-jpeg").handler(upload).handler(this::pdfToJpeg);
        }
    }

    private void documentToLatex(RoutingContext ctx, String typeName) {
        DocumentType type = DocumentType.fromWireName(typeName);
        Path file = uploaded(ctx);
        offload.run(ctx, () -> conversions.documentToLatex(file, type)).onSuccess(converted -> send(ctx, converted, "application/zip"));
    }

    private void pdfToJpeg(RoutingContext ctx) {
        Conversions.JpegMode mode = Conversions.JpegMode.fromWireName(ctx.queryParams().get("mode"));
        Path file = uploaded(ctx);
        offload.run(ctx, () -> conversions.pdfToJpeg(file, mode)).onSuccess(converted -> send(ctx, converted, "image/jpeg"));
    }

    private void projectToDocument(RoutingContext ctx) {
        ExportType type = ExportType.fromWireName(ctx.queryParams().get("type"));
        ProjectKey project = CompileRoutes.projectKey(ctx);
        JsonObject body = CompileRoutes.jsonBody(ctx);
        if ("json".equals(ctx.queryParams().get("responseFormat"))) {
            offload.run(ctx, () -> conversions.storeProjectAsDocument(parser.parse(project, body), type))
                    .onSuccess(stored -> ctx.response()
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                            .putHeader(CONVERSION_HEADER, stored.conversionId())
                            .end(new JsonObject().put("conversionId", stored.conversionId()).put("buildId", stored.buildId())
                                    .put("file", stored.file()).encode()));
        } else {
            offload.run(ctx, () -> conversions.projectToDocument(parser.parse(project, body), type))
                    .onSuccess(converted -> send(ctx, converted, type == ExportType.DOCX
                            ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document" : "application/zip"));
        }
    }

    private static Path uploaded(RoutingContext ctx) {
        for (FileUpload upload : ctx.fileUploads()) {
            if (upload.name().equals(UPLOAD_FIELD)) {
                return Path.of(upload.uploadedFileName());
            }
        }
        throw new InvalidRequestException("the upload must be a multipart/form-data file named '" + UPLOAD_FIELD + "'");
    }

    /** Sends a conversion's result as an attachment, then deletes it. */
    private void send(RoutingContext ctx, Converted converted, String contentType) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader("Content-Disposition", "attachment; filename=\"" + converted.name() + "\"")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
                .sendFile(converted.file().toString())
                .onComplete(sent -> executor.execute(() -> {
                    try {
                        converted.close();
                    } catch (java.io.IOException e) {
                        log.warn("cannot delete the conversion {}: {}", converted.directory(), e.getMessage());
                    }
                }));
    }
}
