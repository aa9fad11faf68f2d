package org.texfarm.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import org.texfarm.NotFoundException;
import org.texfarm.ProjectKey;
import org.texfarm.output.BuildStore;
import org.texfarm.sync.ResourcePath;

/**
 * Serves one file of one build: regular files only, with a strong ETag and byte ranges
 * ({@code Range: bytes=a-b}, {@code a-}, {@code -n}, and several of them at once, answered as
 * nginx does), so a viewer can fetch a PDF in pieces.
 */
final class OutputFileHandler implements Handler<RoutingContext> {
    /** Most bytes one answer of several ranges holds: they are read into memory to be sent. */
    static final long MAX_MULTIPART_BYTES = 16L << 20;
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("pdf", "application/pdf"),
            Map.entry("gz", "application/gzip"),
            Map.entry("png", "image/png"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("zip", "application/zip"),
            Map.entry("log", TEXT), Map.entry("stdout", TEXT), Map.entry("blg", TEXT), Map.entry("bbl", TEXT),
            Map.entry("aux", TEXT), Map.entry("toc", TEXT), Map.entry("out", TEXT), Map.entry("fls", TEXT),
            Map.entry("fdb_latexmk", TEXT), Map.entry("idx", TEXT), Map.entry("ind", TEXT), Map.entry("ilg", TEXT),
            Map.entry("glo", TEXT), Map.entry("gls", TEXT), Map.entry("glg", TEXT), Map.entry("tex", TEXT));

    private final BuildStore builds;
    private final int maxPathLength;
    private final int maxPathDepth;

    OutputFileHandler(BuildStore builds, int maxPathLength, int maxPathDepth) {
        this.builds = builds;
        this.maxPathLength = maxPathLength;
        this.maxPathDepth = maxPathDepth;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ProjectKey project = CompileRoutes.projectKey(ctx);
        String buildId = ctx.pathParam("buildId");
        ResourcePath path = ResourcePath.parse(ctx.pathParam("*"), maxPathLength, maxPathDepth);
        Optional<Path> file = builds.find(project, buildId, path);
        if (file.isEmpty()) {
            throw new NotFoundException("no output file '" + path + "' in build " + buildId);
        }
        ctx.vertx().executeBlocking(() -> Files.readAttributes(file.get(), BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .onSuccess(attributes -> send(ctx, file.get(), attributes, path))
                .onFailure(ctx::fail);
    }

    private void send(RoutingContext ctx, Path file, BasicFileAttributes attributes, ResourcePath path) {
        long size = attributes.size();
        String etag = "\"" + ctx.pathParam("buildId") + "-" + Long.toHexString(size) + "\"";
        String contentType = contentType(path.fileName());
        String range = ctx.request().getHeader("Range");
        HttpServerResponse response = ctx.response()
                .putHeader("Content-Type", contentType)
                .putHeader("ETag", etag)
                .putHeader("Accept-Ranges", "bytes")
                .putHeader("Cache-Control", "private, max-age=3600");
        untrusted(response, contentType, path.fileName());
        if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
            return;
        }
        // Text is gzipped for clients that accept it; PDFs and images are compressed already, and a
        // byte range must count the file's own bytes.
        boolean compressible = contentType.startsWith("text/") || contentType.equals("image/svg+xml");
        if (!compressible || range != null) {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
        }
        ByteRanges ranges = ByteRanges.parse(range, size);
        if (ranges instanceof ByteRanges.Parts parts && parts.parts().size() > 1 && parts.bytes() > MAX_MULTIPART_BYTES) {
            ranges = new ByteRanges.Whole();
        }
        switch (ranges) {
            case ByteRanges.Whole whole -> response.sendFile(file.toString());
            case ByteRanges.Unsatisfiable none -> response.setStatusCode(416).putHeader("Content-Range", "bytes */" + size).end();
            case ByteRanges.Parts parts when parts.parts().size() == 1 -> {
                ByteRanges.Part part = parts.parts().getFirst();
                response.setStatusCode(206).putHeader("Content-Range", "bytes " + part.first() + "-" + part.last() + "/" + size);
                response.sendFile(file.toString(), part.first(), part.length());
            }
            case ByteRanges.Parts parts -> ctx.vertx().executeBlocking(() -> MultipartRanges.read(file, parts, size, contentType))
                    .onSuccess(body -> response.setStatusCode(206)
                            .putHeader("Content-Type", "multipart/byteranges; boundary=" + body.boundary())
                            .end(body.bytes()))
                    .onFailure(ctx::fail);
        }
    }

    /**
     * Headers for a file the document made, served on the service's own origin: nothing in it may
     * run there. It is its own sandboxed origin (no scripts, no cookies of the service's origin,
     * no forms), its type is never sniffed, and anything but a PDF or plain text (an SVG or HTML
     * file a document wrote, with scripts in it) is a download, never shown in the page.
     */
    private static void untrusted(HttpServerResponse response, String contentType, String fileName) {
        sandboxed(response);
        if (!contentType.equals("application/pdf") && !contentType.equals(TEXT)) {
            response.putHeader("Content-Disposition", "attachment; filename=\"" + fileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        }
    }

    /** Bytes a document made: their own sandboxed origin if opened, and never sniffed as another type. */
    static HttpServerResponse sandboxed(HttpServerResponse response) {
        return response.putHeader("Content-Security-Policy", "sandbox").putHeader("X-Content-Type-Options", "nosniff");
    }

    private static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
