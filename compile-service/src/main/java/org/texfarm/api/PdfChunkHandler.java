package org.texfarm.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.texfarm.NotFoundException;
import org.texfarm.ProjectKey;
import org.texfarm.output.PdfChunks;

/**
 * {@code GET /project/:id[/user/:userId]/content/:contentId/:hash}: one chunk of PDF caching, as
 * CLSI's nginx serves it. Its URL names its bytes, so browsers keep it a day; its {@code Date}
 * tells Overleaf's viewer whether the chunk came from its cache.
 */
final class PdfChunkHandler implements Handler<RoutingContext> {
    private static final Duration KEPT = Duration.ofDays(1);

    private final PdfChunks chunks;
    private final Offload offload;
    private final Clock clock;

    PdfChunkHandler(PdfChunks chunks, Offload offload, Clock clock) {
        this.chunks = chunks;
        this.offload = offload;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ProjectKey project = CompileRoutes.projectKey(ctx);
        String contentId = ctx.pathParam("contentId");
        String hash = ctx.pathParam("hash");
        offload.run(ctx, () -> chunks.find(project, contentId, hash).orElseThrow(() ->
                new NotFoundException("no PDF chunk " + hash + " under content " + contentId + " of this project")))
                .onSuccess(chunk -> OutputFileHandler.sandboxed(ctx.response())
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream")
                        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
                        .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=" + KEPT.toSeconds())
                        .putHeader(HttpHeaders.DATE, httpDate(Duration.ZERO))
                        .putHeader(HttpHeaders.EXPIRES, httpDate(KEPT))
                        .sendFile(chunk.pdf().toString(), chunk.start(), chunk.end() - chunk.start()));
    }

    private String httpDate(Duration fromNow) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plus(fromNow).atOffset(ZoneOffset.UTC));
    }
}
