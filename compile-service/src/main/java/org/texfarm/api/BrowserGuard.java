package org.texfarm.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keeps a browser from being used against the service. The service's clients are servers (the
 * editor's backend) and its own pages; a browser visiting another site must not reach it:
 * <ul>
 * <li><b>DNS rebinding</b>: a request whose {@code Host} names a host this service does not answer
 * to is refused (421), as a rebound name is the attacker's. IP addresses, {@code localhost},
 * {@code PUBLIC_BASE_URL}'s host and {@code HOST_NAMES} are accepted; a request with no
 * {@code Host} (HTTP/1.0 health checks) cannot come from a browser.</li>
 * <li><b>Cross-site requests</b>: a request that changes something (not GET, HEAD or OPTIONS) from
 * a page of another origin is refused (403). Browsers say where a request comes from
 * ({@code Origin}, {@code Sec-Fetch-Site}); servers send neither. Routes that read JSON also
 * require a JSON content type, which no HTML form can send.</li>
 * </ul>
 */
final class BrowserGuard implements Handler<RoutingContext> {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final Set<String> hostNames;

    /** @param hostNames the names, lower case, besides IP addresses and {@code localhost}, that this service answers to */
    BrowserGuard(Set<String> hostNames) {
        this.hostNames = hostNames.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    @Override
    public void handle(RoutingContext ctx) {
        String host = ctx.request().getHeader(HttpHeaders.HOST);
        if (host != null && !answersTo(host)) {
            refuse(ctx, 421, "this service does not answer to the host '" + host + "' (a name it does not know may be"
                    + " DNS rebinding): add the name to HOST_NAMES");
            return;
        }
        if (!SAFE.contains(ctx.request().method()) && fromAnotherSite(ctx, host)) {
            refuse(ctx, 403, "a request from another site's page may not change anything here");
            return;
        }
        ctx.next();
    }

    /** Whether {@code host} (a {@code Host} header: a name or an address, and a port) is this service's. */
    boolean answersTo(String host) {
        String name = hostOf(host);
        return name != null && (name.equals("localhost") || IPV4.matcher(name).matches() || name.startsWith("[")
                || hostNames.contains(name));
    }

    /** Whether the browser that sent the request says it comes from a page of another origin. */
    static boolean fromAnotherSite(RoutingContext ctx, String host) {
        String site = ctx.request().getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return true;
        }
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        return origin != null && (host == null || !sameAuthority(origin, host));
    }

    /** Whether an {@code Origin} ({@code scheme://host[:port]}, or {@code null}) names the authority {@code host}. */
    static boolean sameAuthority(String origin, String host) {
        try {
            URI uri = new URI(origin);
            return uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(host);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The name or address of a {@code Host} header, lower case, without its port; null when it is no host. */
    static String hostOf(String host) {
        String value = host.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? null : value.substring(0, end + 1);
        }
        int colon = value.lastIndexOf(':');
        String name = colon < 0 ? value : value.substring(0, colon);
        return name.isEmpty() ? null : name;
    }

    private static void refuse(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .end(new JsonObject().put("error", message).encode());
    }
}
