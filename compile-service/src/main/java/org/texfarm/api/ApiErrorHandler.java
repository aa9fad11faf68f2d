package org.texfarm.api;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.ImageNotAllowedException;
import org.texfarm.InvalidRequestException;
import org.texfarm.NotFoundException;
import org.texfarm.compile.CompileInProgressException;
import org.texfarm.compile.CompileStatus;
import org.texfarm.compile.DiskLowException;
import org.texfarm.compile.ServiceBusyException;
import org.texfarm.convert.ConversionFailedException;
import org.texfarm.sandbox.SandboxUnavailableException;

/**
 * The one place where failures become HTTP responses: domain exceptions map to their status code,
 * and compile routes answer in CLSI's {@code {"compile": {...}}} envelope, others with
 * {@code {"error": "..."}}. Where Overleaf's editor reads CLSI's plain-text answers (an image
 * refused by SyncTeX or word count, SyncTeX's 404), the text is CLSI's and our reason goes in the
 * {@value #REASON_HEADER} header.
 */
final class ApiErrorHandler implements Handler<RoutingContext> {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);
    static final String REASON_HEADER = "X-Error-Reason";

    /** How one failure is answered. */
    private record Answer(int httpStatus, CompileStatus compileStatus, String message) {
        static Answer error(int httpStatus, String message) {
            return new Answer(httpStatus, CompileStatus.ERROR, message);
        }
    }

    @Override
    public void handle(RoutingContext ctx) {
        Answer answer = answer(ctx);
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        if (ctx.failure() instanceof ServiceBusyException busy) {
            ctx.response().putHeader("Retry-After", Long.toString(busy.retryAfter().toSeconds()));
        } else if (ctx.failure() instanceof DiskLowException) {
            ctx.response().putHeader("Retry-After", "60");
        }
        String path = ctx.request().path();
        String clsiText = clsiText(path, ctx.failure());
        if (clsiText != null) {
            ctx.response().setStatusCode(answer.httpStatus())
                    .putHeader(REASON_HEADER, headerSafe(answer.message()))
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end(clsiText);
            return;
        }
        JsonObject body = path.endsWith("/compile")
                ? CompileResponses.refused(answer.compileStatus(), answer.message())
                : new JsonObject().put("error", answer.message());
        if (ctx.failure() instanceof ConversionFailedException failed) {
            body.put("exitCode", failed.exitCode());
        }
        ctx.response().setStatusCode(answer.httpStatus())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(body.encode());
    }

    /** CLSI's plain-text answer to this failure on this route, or null where we answer JSON. */
    private static String clsiText(String path, Throwable failure) {
        boolean syncTex = path.contains("/sync/");
        if (failure instanceof ImageNotAllowedException && (syncTex || path.endsWith("/wordcount"))) {
            return "invalid image";
        }
        if (failure instanceof NotFoundException && syncTex) {
            return "Not Found";
        }
        return null;
    }

    /** A message fit for a header value: one line of printable ASCII. */
    private static String headerSafe(String message) {
        String text = message == null ? "" : message.replaceAll("[^\\x20-\\x7e]", "?");
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    private static Answer answer(RoutingContext ctx) {
        return switch (ctx.failure()) {
            case NotFoundException e -> Answer.error(404, e.getMessage());
            // CLSI answers a compile with an image it does not allow as a failed compile.
            case ImageNotAllowedException e when ctx.request().path().endsWith("/compile") -> Answer.error(500, e.getMessage());
            case InvalidRequestException e -> Answer.error(400, e.getMessage());
            case DecodeException e -> Answer.error(400, "the body is not valid JSON (" + firstLine(e.getMessage()) + ")");
            case DiskLowException e -> new Answer(503, CompileStatus.UNAVAILABLE, e.getMessage());
            case CompileInProgressException e -> new Answer(423, CompileStatus.COMPILE_IN_PROGRESS, e.getMessage());
            case ServiceBusyException e -> new Answer(503, CompileStatus.UNAVAILABLE, e.getMessage());
            case SandboxUnavailableException e -> new Answer(503, CompileStatus.UNAVAILABLE, e.getMessage());
            // As CLSI: the converter's own message for a document it cannot convert.
            case ConversionFailedException e -> Answer.error(422, e.getMessage());
            case null -> switch (ctx.statusCode()) {
                case 413 -> Answer.error(413, "the request body is larger than the limit ("
                        + (ctx.request().path().contains("/files/") || ctx.request().path().startsWith("/convert/")
                        ? "MAX_UPLOAD_SIZE" : "MAX_REQUEST_SIZE") + ")");
                case 404 -> Answer.error(404, "not found");
                case 405 -> Answer.error(405, "method not allowed");
                default -> Answer.error(ctx.statusCode(), "request failed");
            };
            default -> {
                log.error("request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
                yield Answer.error(500, "internal error: " + ctx.failure().getMessage());
            }
        };
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
