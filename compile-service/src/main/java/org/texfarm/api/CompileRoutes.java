package org.texfarm.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.texfarm.InvalidRequestException;
import org.texfarm.compile.CompileRequest;
import org.texfarm.compile.CompileResult;
import org.texfarm.compile.CompileService;
import org.texfarm.compile.ProjectKey;
import org.texfarm.config.ServiceConfig;
import org.texfarm.output.BuildStore;
import org.texfarm.sync.UrlFetcher;

/**
 * The HTTP API: CLSI's routes, each also under {@code /project/:id/user/:userId/...}. Handlers
 * stay on the event loop only to read and answer; parsing and compiling run on {@code executor}.
 */
public final class CompileRoutes {
    private final ServiceConfig config;
    private final CompileService compiles;
    private final BuildStore builds;
    private final CompileRequestParser parser;
    private final CompileResponses responses;
    private final ExecutorService executor;

    public CompileRoutes(ServiceConfig config, CompileService compiles, BuildStore builds, UrlFetcher fetcher,
                         ExecutorService executor) {
        this.config = config;
        this.compiles = compiles;
        this.builds = builds;
        this.parser = new CompileRequestParser(config, fetcher);
        this.responses = new CompileResponses(config.publicBaseUrl());
        this.executor = executor;
    }

    public Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.requests().maxBodyBytes());
        OutputFileHandler outputs = new OutputFileHandler(builds, config.requests().maxPathLength(),
                config.requests().maxPathDepth());

        router.get("/status").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end("CLSI is alive\n"));
        for (String prefix : new String[] {"/project/:projectId", "/project/:projectId/user/:userId"}) {
            router.post(prefix + "/compile").handler(body).handler(this::compile);
            router.post(prefix + "/compile/stop").handler(this::stop);
            router.delete(prefix).handler(this::clear);
            router.get(prefix + "/build/:buildId/output/*").handler(outputs);
        }
        router.route().failureHandler(new ApiErrorHandler());
        return router;
    }

    private void compile(RoutingContext ctx) {
        ProjectKey project = projectKey(ctx);
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new InvalidRequestException("the body must be JSON with Content-Type: application/json");
        }
        JsonObject json = ctx.body().asJsonObject();
        offload(ctx, () -> {
            CompileRequest request = parser.parse(project, json);
            return compiles.compile(request);
        }).onSuccess(result -> ctx.response()
                .setStatusCode(result.status().httpStatus())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .end(responses.toJson(project, result).encode()));
    }

    private void stop(RoutingContext ctx) {
        compiles.stop(projectKey(ctx));
        ctx.response().setStatusCode(204).end();
    }

    private void clear(RoutingContext ctx) {
        ProjectKey project = projectKey(ctx);
        offload(ctx, () -> {
            compiles.clear(project);
            return null;
        }).onSuccess(ignored -> ctx.response().setStatusCode(204).end());
    }

    /** Runs blocking work on the executor; its result comes back on the request's context, a failure to the error handler. */
    private <T> Future<T> offload(RoutingContext ctx, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        });
        return Future.fromCompletionStage(result, ctx.vertx().getOrCreateContext()).onFailure(ctx::fail);
    }

    static ProjectKey projectKey(RoutingContext ctx) {
        return ProjectKey.of(ctx.pathParam("projectId"), ctx.pathParam("userId"));
    }
}
