package org.texfarm.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.texfarm.InvalidRequestException;
import org.texfarm.ProjectKey;
import org.texfarm.RandomIds;
import org.texfarm.balancer.AgentState;
import org.texfarm.balancer.LoadAgent;
import org.texfarm.compile.CompileResult;
import org.texfarm.compile.CompileService;
import org.texfarm.compile.Storage;
import org.texfarm.config.CompileGroup;
import org.texfarm.config.ServiceConfig;
import org.texfarm.convert.Conversions;
import org.texfarm.health.HealthCheck;
import org.texfarm.sandbox.ImageDescription;
import org.texfarm.sync.ContentStore;
import org.texfarm.sync.ResourcePath;
import org.texfarm.sync.Sha256;
import org.texfarm.sync.UrlFetcher;
import org.texfarm.synctex.SyncTexLookup;

/**
 * The HTTP API: CLSI's routes, each also under {@code /project/:id/user/:userId/...}. Handlers
 * stay on the event loop only to read and answer; parsing and compiling run on {@code executor}.
 */
public final class CompileRoutes {
    private static final Duration IDLE_POLL = Duration.ofMillis(50);
    private static final String REQUEST_ID = Offload.REQUEST_ID;
    private static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ServiceConfig config;
    private final CompileService compiles;
    private final Storage storage;
    private final CompileRequestParser parser;
    private final CompileResponses responses;
    private final PrometheusMeterRegistry registry;
    private final ExecutorService executor;
    private final Offload offload;
    private final SyncTexLookup syncTex;
    private final AtomicInteger compilesAnswering = new AtomicInteger();
    private final LoadAgent agent;
    private final HealthCheck health;
    private final List<ImageDescription> images;
    private final Conversions conversions;

    public CompileRoutes(ServiceConfig config, CompileService compiles, Storage storage, UrlFetcher fetcher,
                         SyncTexLookup syncTex, PrometheusMeterRegistry registry, ExecutorService executor,
                         LoadAgent agent, HealthCheck health, List<ImageDescription> images, Conversions conversions) {
        this.conversions = conversions;
        this.images = images;
        this.syncTex = syncTex;
        this.agent = agent;
        this.health = health;
        this.registry = registry;
        this.config = config;
        this.compiles = compiles;
        this.storage = storage;
        this.parser = new CompileRequestParser(config, fetcher);
        this.responses = new CompileResponses(config.publicBaseUrl());
        this.executor = executor;
        this.offload = new Offload(executor);
    }

    public Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(this::requestId);
        router.route().handler(this::bodyDeadline);
        Set<String> hostNames = new HashSet<>(config.requests().hostNames());
        hostNames.add(URI.create(config.publicBaseUrl()).getHost());
        router.route().handler(new BrowserGuard(hostNames));
        if (config.apiToken() != null) {
            router.route().handler(this::requireToken);
        }
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.requests().maxBodyBytes());
        BodyHandler upload = BodyHandler.create(false).setBodyLimit(config.storage().maxUploadBytes());
        LiveLogHandler liveLog = new LiveLogHandler(compiles, executor,
                config.groups().all().stream().mapToLong(group -> group.limits().logBytes()).max().orElseThrow());
        OutputFileHandler outputs = new OutputFileHandler(storage.builds(), config.requests().maxPathLength(),
                config.requests().maxPathDepth());
        OutputArchiveHandler archive = new OutputArchiveHandler(storage.builds(), executor);
        PdfChunkHandler pdfChunks = new PdfChunkHandler(storage.pdfChunks(), offload, Clock.systemUTC());
        SyncTexRoutes sync = new SyncTexRoutes(syncTex, config, offload);

        router.get("/status").handler(ctx -> ctx.response()
                .setStatusCode(compiles.isDraining() ? 503 : 200)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(compiles.isDraining() ? "CLSI is shutting down\n" : "CLSI is alive\n"));
        String offer = ServerOffer.of(config, images).encode();
        router.get("/offer").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(offer));
        router.get("/metrics").handler(ctx -> offload.run(ctx, registry::scrape).onSuccess(text -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(text)));
        for (String prefix : new String[] {"/project/:projectId", "/project/:projectId/user/:userId"}) {
            router.post(prefix + "/compile").handler(body).handler(this::compile);
            router.post(prefix + "/compile/stop").handler(this::stop);
            router.get(prefix + "/compile/log").handler(liveLog);
            router.delete(prefix).handler(this::clear);
            router.get(prefix + "/wordcount").handler(this::wordCount);
            router.get(prefix + "/sync/code").handler(sync::fromCode);
            router.get(prefix + "/sync/pdf").handler(sync::fromPdf);
            router.post(prefix + "/files/check").handler(body).handler(this::checkFiles);
            router.put(prefix + "/files/:hash").handler(upload).handler(this::upload);
            router.get(prefix + "/build/:buildId/output/output.zip").handler(archive);
            router.get(prefix + "/build/:buildId/output/*").handler(outputs);
            router.get(prefix + "/content/:contentId/:hash").handler(pdfChunks);
        }
        new ConversionRoutes(config.conversions(), conversions, parser, offload, executor)
                .register(router, body, storage.scratch().resolve("uploads"), config.storage().maxUploadBytes());
        if (config.playground().enabled()) {
            PlaygroundRoutes.register(router);
        }
        router.get("/health_check").handler(ctx -> offload.run(ctx, health::last).onSuccess(report -> answerHealth(ctx, report)));
        // As CLSI's: a compile now, answered as text; the report of the last one stays at /health_check.
        router.get("/smoke_test_force").handler(ctx -> offload.run(ctx, health::run).onSuccess(report -> ctx.response()
                .setStatusCode(report.healthy() ? 200 : 500)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(report.healthy() ? "OK" : report.summary())));
        router.get("/admin/load-agent").handler(this::agentState);
        router.post("/admin/load-agent").handler(body).handler(ctx -> {
            JsonObject json = jsonBody(ctx);
            Object state = json == null ? null : json.getValue("state");
            if (!(state instanceof String name)) {
                throw new InvalidRequestException("the body must be {\"state\": \"ready\" | \"drain\" | \"maint\"}");
            }
            agent.state(AgentState.fromWireName(name));
            agentState(ctx);
        });
        router.route().failureHandler(new ApiErrorHandler());
        return router;
    }

    /**
     * Waits until no compile request is being answered, or {@code timeout} has passed; returns
     * whether none is.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (compilesAnswering.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(IDLE_POLL.toMillis());
        }
        return true;
    }

    private void compile(RoutingContext ctx) {
        compilesAnswering.incrementAndGet();
        ctx.addEndHandler(ended -> compilesAnswering.decrementAndGet());
        ProjectKey project = projectKey(ctx);
        JsonObject json = jsonBody(ctx);
        offload.run(ctx, () -> {
            CompileResult result = compiles.compile(parser.parse(project, json));
            // Encoded here, so that the event loop only writes the answer.
            return new Answer(result.status().httpStatus(), responses.toJson(project, result).toBuffer(), result.buildId());
        }).onSuccess(answer -> ctx.response()
                .setStatusCode(answer.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .end(answer.body())
                .onComplete(sent -> {
                    if (answer.buildId() != null) {
                        executor.execute(() -> syncTex.prefetch(project, answer.buildId()));
                    }
                }));
    }

    /** Names the request: the client's {@code X-Request-Id} when it is a plain token, else a new id; answered in the same header. */
    private void requestId(RoutingContext ctx) {
        String given = ctx.request().getHeader(REQUEST_ID_HEADER);
        String id = given != null && CLIENT_REQUEST_ID.matcher(given).matches()
                ? given : RandomIds.hex(8);
        ctx.put(REQUEST_ID, id);
        ctx.response().putHeader(REQUEST_ID_HEADER, id);
        ctx.next();
    }

    /**
     * Lets a request through only with the operator's bearer token; {@code /status} stays open for
     * health probes, and the playground's own files for browsers (the page asks for the token).
     */
    private void requireToken(RoutingContext ctx) {
        if (ctx.request().path().equals("/status") || config.playground().enabled() && PlaygroundRoutes.isPageFile(ctx)
                || config.apiToken().admits(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            ctx.next();
        } else {
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                    .end(new JsonObject().put("error", "this service requires its API token: Authorization: Bearer <token>").encode());
        }
    }

    /** Closes the connection of a client that has not sent its whole request within the body timeout (slowloris). */
    private void bodyDeadline(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.isEnded()) {
            long timer = ctx.vertx().setTimer(config.requests().bodyTimeout().toMillis(), id -> {
                if (!request.isEnded()) {
                    request.connection().close();
                }
            });
            ctx.addEndHandler(ended -> ctx.vertx().cancelTimer(timer));
        }
        ctx.next();
    }

    private static void answerHealth(RoutingContext ctx, HealthCheck.Report report) {
        ctx.response().setStatusCode(report.healthy() ? 200 : 500)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .end(report.toJson().encode());
    }

    /** The load agent's state and the line it answers now. */
    private void agentState(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .end(new JsonObject().put("state", agent.state().wireName()).put("answer", agent.answer()).encode());
    }

    /** A compile's answer, ready to write, and the build it names (null when refused). */
    private record Answer(int status, Buffer body, String buildId) {
    }

    private void stop(RoutingContext ctx) {
        compiles.stop(projectKey(ctx));
        ctx.response().setStatusCode(204).end();
    }

    /** {@code GET .../wordcount?file=main.tex[&image=...]}: texcount's summary, as CLSI answers it. */
    private void wordCount(RoutingContext ctx) {
        String image = config.image(config.groups().defaultGroup(), ctx.queryParams().get("image"));
        ProjectKey project = projectKey(ctx);
        String file = ctx.queryParams().get("file");
        ResourcePath path = ResourcePath.parse(file == null ? "main.tex" : file, config.requests().maxPathLength(),
                config.requests().maxPathDepth());
        offload.run(ctx, () -> compiles.countWords(project, path, image)).onSuccess(count -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .end(new JsonObject().put("texcount", new JsonObject()
                        .put("encode", count.encode())
                        .put("textWords", count.textWords())
                        .put("headWords", count.headWords())
                        .put("outside", count.outside())
                        .put("headers", count.headers())
                        .put("elements", count.elements())
                        .put("mathInline", count.mathInline())
                        .put("mathDisplay", count.mathDisplay())
                        .put("errors", count.errors())
                        .put("messages", count.messages())).encode()));
    }

    private void clear(RoutingContext ctx) {
        ProjectKey project = projectKey(ctx);
        offload.run(ctx, () -> {
            compiles.clear(project);
            return null;
        }).onSuccess(ignored -> ctx.response().setStatusCode(204).end());
    }

    /** Answers which of the given hashes the project cannot name yet (it never sent them). */
    private void checkFiles(RoutingContext ctx) {
        ProjectKey project = projectKey(ctx);
        JsonObject json = jsonBody(ctx);
        Object value = json == null ? null : json.getValue("hashes");
        if (!(value instanceof JsonArray array)) {
            throw new InvalidRequestException("the body must be {\"hashes\": [\"<sha256>\", ...]}");
        }
        if (array.size() > config.requests().maxResources()) {
            throw new InvalidRequestException("at most " + config.requests().maxResources() + " hashes (MAX_RESOURCES)");
        }
        List<Sha256> hashes = new ArrayList<>();
        for (Object hash : array) {
            hashes.add(Sha256.parse(hash instanceof String text ? text : null));
        }
        offload.run(ctx, () -> storage.sync().missing(project, hashes)).onSuccess(missing -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .end(new JsonObject().put("missing", new JsonArray(missing.stream().map(Sha256::hex).toList())).encode()));
    }

    /** Stores one file the project sends by hash; its content must hash to the name it is sent under. */
    private void upload(RoutingContext ctx) {
        ProjectKey project = projectKey(ctx);
        Sha256 hash = Sha256.parse(ctx.pathParam("hash"));
        byte[] content = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        offload.run(ctx, () -> {
            try {
                storage.store().put(new ByteArrayInputStream(content), config.storage().maxUploadBytes(), hash);
            } catch (ContentStore.ContentMismatchException e) {
                throw new InvalidRequestException("upload refused: " + e.getMessage());
            }
            storage.sync().recordUpload(project, hash);
            return null;
        }).onSuccess(ignored -> ctx.response().setStatusCode(204).end());
    }

    /** The request's JSON body; a JSON content type is required, which no HTML form of another site can send. */
    static JsonObject jsonBody(RoutingContext ctx) {
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new InvalidRequestException("the body must be JSON with Content-Type: application/json");
        }
        return ctx.body().asJsonObject();
    }

    static ProjectKey projectKey(RoutingContext ctx) {
        return ProjectKey.of(ctx.pathParam("projectId"), ctx.pathParam("userId"));
    }
}
