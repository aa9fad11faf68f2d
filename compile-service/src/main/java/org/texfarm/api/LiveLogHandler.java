package org.texfarm.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.texfarm.ProjectKey;
import org.texfarm.compile.CompileService;
import org.texfarm.compile.CompileService.LiveCompile;
import org.texfarm.sync.SafeFiles;

/**
 * {@code GET .../compile/log}: the running compile's {@code output.log} as Server-Sent Events,
 * line by line while TeX writes it. Events: a line of the log (default event), {@code rerun} when
 * TeX starts another run (and the log anew), {@code truncated} past the log cap, {@code end} when
 * the compile has ended, {@code idle} when no compile of the project starts within a few seconds.
 */
final class LiveLogHandler implements Handler<RoutingContext> {
    private static final long POLL_MILLIS = 100;
    private static final long WAIT_FOR_START_MILLIS = 5_000;
    private static final int READ_CHUNK = 64 * 1024;

    private final CompileService compiles;
    private final ExecutorService executor;
    private final long maxBytes;

    LiveLogHandler(CompileService compiles, ExecutorService executor, long maxBytes) {
        this.compiles = compiles;
        this.executor = executor;
        this.maxBytes = maxBytes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ProjectKey project = CompileRoutes.projectKey(ctx);
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
        response.write(": following the log of " + project + "\n\n");
        new Follower(ctx.vertx(), response, project, System.currentTimeMillis()).schedule();
    }

    /** Polls one compile's log for one client; reads run on the executor, one at a time. */
    private final class Follower {
        private final Vertx vertx;
        private final HttpServerResponse response;
        private final ProjectKey project;
        private final long since;
        private LiveCompile compile;
        private long offset;
        private long sent;
        private final StringBuilder partial = new StringBuilder();
        private boolean closed;

        Follower(Vertx vertx, HttpServerResponse response, ProjectKey project, long since) {
            this.vertx = vertx;
            this.response = response;
            this.project = project;
            this.since = since;
            response.closeHandler(ignored -> closed = true);
        }

        void schedule() {
            if (!closed) {
                vertx.setTimer(POLL_MILLIS, id -> poll());
            }
        }

        private void poll() {
            if (closed) {
                return;
            }
            if (compile == null) {
                Optional<LiveCompile> live = compiles.live(project);
                if (live.isEmpty()) {
                    if (System.currentTimeMillis() - since > WAIT_FOR_START_MILLIS) {
                        finish("idle", "no compile of this project is running");
                    } else {
                        schedule();
                    }
                    return;
                }
                compile = live.get();
            }
            boolean ended = compile.ended().isDone();
            Path log = compile.directory().get().resolve("output.log");
            executor.execute(() -> {
                Read read = read(log);
                vertx.runOnContext(ignored -> deliver(read, ended));
            });
        }

        private void deliver(Read read, boolean ended) {
            if (closed) {
                return;
            }
            if (read.restarted()) {
                partial.setLength(0);
                response.write("event: rerun\ndata: TeX started another run\n\n");
            }
            partial.append(read.text());
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, newline);
                partial.delete(0, newline + 1);
                if (sent > maxBytes) {
                    finish("truncated", "the log is longer than the limit");
                    return;
                }
                sent += line.length() + 1;
                response.write("data: " + line.replace("\r", "") + "\n\n");
            }
            if (ended) {
                if (!partial.isEmpty()) {
                    response.write("data: " + partial + "\n\n");
                }
                finish("end", "the compile has ended");
            } else {
                schedule();
            }
        }

        private void finish(String event, String data) {
            closed = true;
            response.end("event: " + event + "\ndata: " + data + "\n\n");
        }

        /** New bytes of the log since the last read; starts over when TeX began a new log. */
        private Read read(Path log) {
            if (!SafeFiles.isRealFile(log)) {
                return new Read("", false);
            }
            try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                boolean restarted = channel.size() < offset;
                if (restarted) {
                    offset = 0;
                }
                List<byte[]> chunks = new ArrayList<>();
                ByteBuffer buffer = ByteBuffer.allocate(READ_CHUNK);
                int total = 0;
                while (channel.read(buffer, offset) > 0 && total < 16 * READ_CHUNK) {
                    buffer.flip();
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    chunks.add(bytes);
                    offset += bytes.length;
                    total += bytes.length;
                    buffer.clear();
                }
                StringBuilder text = new StringBuilder();
                chunks.forEach(bytes -> text.append(new String(bytes, StandardCharsets.UTF_8)));
                return new Read(text.toString(), restarted);
            } catch (IOException e) {
                // Gone between the check and the open (moved back from the sandbox): read it next time.
                return new Read("", false);
            }
        }
    }

    private record Read(String text, boolean restarted) {
    }
}
