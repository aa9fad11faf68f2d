package org.texfarm.api;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.InvalidRequestException;
import org.texfarm.compile.CompileInProgressException;
import org.texfarm.compile.CompileStatus;
import org.texfarm.compile.ServiceBusyException;

/**
 * The one place where failures become HTTP responses: domain exceptions map to their status code,
 * and compile routes answer in CLSI's {@code {"compile": {...}}} envelope, others with
 * {@code {"error": "..."}}.
 */
final class ApiErrorHandler implements Handler<RoutingContext> {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status;
        CompileStatus compileStatus;
        String message;
        switch (failure) {
            case NotFoundException e -> {
                status = 404;
                compileStatus = CompileStatus.ERROR;
                message = e.getMessage();
            }
            case InvalidRequestException e -> {
                status = 400;
                compileStatus = CompileStatus.ERROR;
                message = e.getMessage();
            }
            case DecodeException e -> {
                status = 400;
                compileStatus = CompileStatus.ERROR;
                message = "the body is not valid JSON (" + firstLine(e.getMessage()) + ")";
            }
            case CompileRequestParser.IncrementalSyncUnsupported e -> {
                status = 409;
                compileStatus = CompileStatus.CONFLICT;
                message = e.getMessage();
            }
            case CompileInProgressException e -> {
                status = 423;
                compileStatus = CompileStatus.COMPILE_IN_PROGRESS;
                message = e.getMessage();
            }
            case ServiceBusyException e -> {
                status = 503;
                compileStatus = CompileStatus.UNAVAILABLE;
                message = e.getMessage();
                ctx.response().putHeader("Retry-After", Long.toString(e.retryAfter().toSeconds()));
            }
            case null -> {
                status = ctx.statusCode();
                compileStatus = status == 503 ? CompileStatus.UNAVAILABLE : CompileStatus.ERROR;
                message = switch (status) {
                    case 413 -> "the request body is larger than the limit (MAX_REQUEST_SIZE)";
                    case 404 -> "not found";
                    case 405 -> "method not allowed";
                    default -> "request failed";
                };
            }
            default -> {
                status = 500;
                compileStatus = CompileStatus.ERROR;
                message = "internal error: " + failure.getMessage();
                log.error("request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
            }
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        JsonObject body = ctx.request().path().endsWith("/compile")
                ? CompileResponses.refused(compileStatus, message)
                : new JsonObject().put("error", message);
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(body.encode());
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
