package org.texfarm.api;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.MDC;

/** Runs a request's blocking work on an executor; its result comes back on the request's context, a failure to the error handler. */
final class Offload {
    static final String REQUEST_ID = "requestId";

    private final ExecutorService executor;

    Offload(ExecutorService executor) {
        this.executor = executor;
    }

    <T> Future<T> run(RoutingContext ctx, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        String requestId = ctx.get(REQUEST_ID);
        String project = ctx.pathParam("projectId") == null ? null : CompileRoutes.projectKey(ctx).toString();
        executor.execute(() -> {
            // Every log line of the work says which request and project it belongs to.
            MDC.put(REQUEST_ID, requestId);
            if (project != null) {
                MDC.put("project", project);
            }
            try {
                result.complete(work.call());
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            } finally {
                MDC.clear();
            }
        });
        return Future.fromCompletionStage(result, ctx.vertx().getOrCreateContext()).onFailure(ctx::fail);
    }
}
