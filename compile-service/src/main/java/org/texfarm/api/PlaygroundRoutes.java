package org.texfarm.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The playground page, {@code GET /playground}: static files of the jar, and the PDF viewer and
 * editor it uses from their WebJars (never from a CDN: the page works on a network without the
 * internet). The page calls the API as any client does, with the token when the server needs one;
 * its own files are public. It runs under a strict Content-Security-Policy of its own: its scripts
 * only, no inline script, no eval, no frames.
 */
final class PlaygroundRoutes {
    static final String PATH = "/playground";
    private static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
            + " font-src 'self' data:; connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private PlaygroundRoutes() {
    }

    /** Whether a request is for one of the page's own files, which need no token. */
    static boolean isPageFile(RoutingContext ctx) {
        String path = ctx.request().path();
        return ctx.request().method().name().equals("GET") && (path.equals(PATH) || path.startsWith(PATH + "/"));
    }

    static void register(Router router) {
        router.route(PATH + "*").handler(PlaygroundRoutes::headers);
        router.get(PATH).handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .sendFile("playground/index.html"));
        router.get(PATH + "/static/*").handler(StaticHandler.create("playground").setDefaultContentEncoding("UTF-8"));
        router.get(PATH + "/vendor/pdfjs/*").handler(StaticHandler.create(webJar("pdfjs-dist")));
        router.get(PATH + "/vendor/codemirror/*").handler(StaticHandler.create(webJar("codemirror")));
    }

    private static void headers(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", PAGE_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer");
        if (ctx.request().path().endsWith(".mjs")) {
            // Modules must come as JavaScript; not every server knows the extension.
            ctx.addHeadersEndHandler(ignored -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/javascript; charset=utf-8"));
        }
        ctx.next();
    }

    /** Where a WebJar's files are in the jar, by the version its own Maven metadata gives. */
    private static String webJar(String name) {
        String metadata = "META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
        try (InputStream in = PlaygroundRoutes.class.getClassLoader().getResourceAsStream(metadata)) {
            if (in == null) {
                throw new IllegalStateException("the WebJar " + name + " is not on the class path (" + metadata + ")");
            }
            Properties properties = new Properties();
            properties.load(in);
            return "META-INF/resources/webjars/" + name + "/" + properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
