package org.texfarm.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.NotFoundException;
import org.texfarm.ProjectKey;
import org.texfarm.output.BuildId;
import org.texfarm.output.BuildStore;

/**
 * {@code GET .../build/:buildId/output/output.zip}: the build's files as a zip, written to the
 * client as it is made (each write waits for the client, so a slow one holds no copy in memory).
 */
final class OutputArchiveHandler implements Handler<RoutingContext> {
    private static final Logger log = LoggerFactory.getLogger(OutputArchiveHandler.class);
    private static final int CHUNK = 64 * 1024;

    private final BuildStore builds;
    private final ExecutorService executor;

    OutputArchiveHandler(BuildStore builds, ExecutorService executor) {
        this.builds = builds;
        this.executor = executor;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ProjectKey project = CompileRoutes.projectKey(ctx);
        String buildId = BuildId.validate(ctx.pathParam("buildId"));
        if (!builds.exists(project, buildId)) {
            throw new NotFoundException("no build " + buildId + " of this project (builds are kept for a while, then deleted)");
        }
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/zip")
                .putHeader("Content-Disposition", "attachment; filename=\"output.zip\"")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
        executor.execute(() -> {
            try (OutputStream out = new BufferedOutputStream(new ResponseStream(response), CHUNK)) {
                builds.writeArchive(project, buildId, out);
            } catch (IOException | RuntimeException e) {
                // Headers are gone: break the transfer, so that the client cannot take a cut zip for a whole one.
                log.info("output.zip of {} build {} not sent whole: {}", project, buildId, e.toString());
                response.reset();
                return;
            }
            response.end();
        });
    }

    /** Writes to the response, each write waiting until the client has taken it. */
    private static final class ResponseStream extends OutputStream {
        private final HttpServerResponse response;

        ResponseStream(HttpServerResponse response) {
            this.response = response;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try {
                response.write(Buffer.buffer(Arrays.copyOfRange(bytes, offset, offset + length))).await();
            } catch (RuntimeException e) {
                throw new IOException("the client went away", e);
            }
        }

        @Override
        public void close() {
            // The handler ends the response once the archive is whole.
        }
    }
}
