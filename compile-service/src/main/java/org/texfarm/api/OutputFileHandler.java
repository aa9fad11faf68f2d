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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.texfarm.NotFoundException;
import org.texfarm.ProjectKey;
import org.texfarm.output.BuildStore;
import org.texfarm.sync.ResourcePath;

/**
 * Serves one file of one build: regular files only, with a strong ETag and single byte ranges
 * ({@code Range: bytes=a-b}, {@code a-}, {@code -n}), so a viewer can fetch a PDF in pieces.
 */
final class OutputFileHandler implements Handler<RoutingContext> {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
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
        Matcher matcher = range == null ? null : RANGE.matcher(range.trim());
        if (matcher == null || !matcher.matches() || matcher.group(1).isEmpty() && matcher.group(2).isEmpty()) {
            // No range, or a form we do not serve (several ranges): the whole file, as RFC 9110 allows.
            response.sendFile(file.toString());
            return;
        }
        long start;
        long end;
        try {
            if (matcher.group(1).isEmpty()) {
                long suffix = Long.parseLong(matcher.group(2));
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = Long.parseLong(matcher.group(1));
                end = matcher.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(matcher.group(2)), size - 1);
            }
        } catch (NumberFormatException e) {
            start = size;
            end = -1;
        }
        if (start >= size || start > end) {
            response.setStatusCode(416).putHeader("Content-Range", "bytes */" + size).end();
            return;
        }
        response.setStatusCode(206).putHeader("Content-Range", "bytes " + start + "-" + end + "/" + size);
        response.sendFile(file.toString(), start, end - start + 1);
    }

    private static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
