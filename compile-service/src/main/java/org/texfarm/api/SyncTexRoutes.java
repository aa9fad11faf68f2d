package org.texfarm.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.Callable;
import org.texfarm.InvalidRequestException;
import org.texfarm.ProjectKey;
import org.texfarm.config.RequestLimits;
import org.texfarm.config.ServiceConfig;
import org.texfarm.output.BuildId;
import org.texfarm.sync.ResourcePath;
import org.texfarm.synctex.PdfBox;
import org.texfarm.synctex.SourcePosition;
import org.texfarm.synctex.SyncTexLookup;

/**
 * {@code GET .../sync/code?file=&line=&column=} and {@code GET .../sync/pdf?page=&h=&v=}, each with
 * an optional {@code buildId} (default: the project's latest build), answered as CLSI does. The
 * {@code imageName} CLSI's clients send is checked first, as CLSI checks it, though the answer is
 * read from the build and needs no image.
 */
final class SyncTexRoutes {
    private final SyncTexLookup lookup;
    private final ServiceConfig config;
    private final RequestLimits limits;
    private final Offload offload;

    SyncTexRoutes(SyncTexLookup lookup, ServiceConfig config, Offload offload) {
        this.lookup = lookup;
        this.config = config;
        this.limits = config.requests();
        this.offload = offload;
    }

    void fromCode(RoutingContext ctx) {
        checkImage(ctx);
        ProjectKey project = CompileRoutes.projectKey(ctx);
        String buildId = buildId(ctx);
        ResourcePath file = ResourcePath.parse(required(ctx, "file"), limits.maxPathLength(), limits.maxPathDepth());
        int line = integer(ctx, "line", null, 1);
        // Checked, as CLSI's clients send it, but TeX records no columns to find.
        integer(ctx, "column", 0, 0);
        answer(ctx, () -> {
            List<PdfBox> boxes = lookup.boxesFor(project, buildId, file, line);
            return new JsonObject().put("pdf", new JsonArray(boxes.stream().map(box -> new JsonObject()
                    .put("page", box.page()).put("h", box.h()).put("v", box.v())
                    .put("height", box.height()).put("width", box.width())).toList()));
        });
    }

    void fromPdf(RoutingContext ctx) {
        checkImage(ctx);
        ProjectKey project = CompileRoutes.projectKey(ctx);
        String buildId = buildId(ctx);
        int page = integer(ctx, "page", null, 1);
        double h = number(ctx, "h");
        double v = number(ctx, "v");
        answer(ctx, () -> {
            List<SourcePosition> positions = lookup.sourceAt(project, buildId, page, h, v);
            return new JsonObject().put("code", new JsonArray(positions.stream().map(position -> new JsonObject()
                    .put("file", position.file()).put("line", position.line()).put("column", position.column())).toList()));
        });
    }

    private void answer(RoutingContext ctx, Callable<JsonObject> query) {
        offload.run(ctx, () -> query.call().put("downloadedFromCache", false)).onSuccess(json -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .end(json.encode()));
    }

    private void checkImage(RoutingContext ctx) {
        config.image(config.groups().defaultGroup(), ctx.queryParams().get("imageName"));
    }

    private static String buildId(RoutingContext ctx) {
        String buildId = ctx.queryParams().get("buildId");
        return buildId == null || buildId.isEmpty() ? null : BuildId.validate(buildId);
    }

    private static String required(RoutingContext ctx, String name) {
        String value = ctx.queryParams().get(name);
        if (value == null || value.isEmpty()) {
            throw new InvalidRequestException("the query parameter '" + name + "' is required");
        }
        return value;
    }

    private static int integer(RoutingContext ctx, String name, Integer fallback, int min) {
        String value = ctx.queryParams().get(name);
        if (fallback != null && (value == null || value.isEmpty())) {
            return fallback;
        }
        value = required(ctx, name);
        try {
            int number = Integer.parseInt(value);
            if (number >= min) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException(name + " must be a whole number from " + min + ", not '" + abbreviate(value) + "'");
    }

    private static double number(RoutingContext ctx, String name) {
        String value = required(ctx, name);
        try {
            double number = Double.parseDouble(value);
            if (Double.isFinite(number) && !value.matches(".*[a-zA-Z].*")) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException(name + " must be a number of big points, not '" + abbreviate(value) + "'");
    }

    private static String abbreviate(String value) {
        return value.length() <= 32 ? value : value.substring(0, 32) + "...";
    }
}
