package org.texfarm.sync;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.texfarm.InvalidRequestException;
import org.texfarm.config.DownloadPolicy;

/**
 * Downloads resources given by URL into the content store, only from the operator's allowed
 * hosts: every redirect is followed by hand and checked again, a host's resolved addresses are
 * checked against listed IP ranges, each download is bounded in time and size, and failures that
 * may pass are retried with backoff.
 */
public final class UrlFetcher {
    private final DownloadPolicy policy;
    private final HostAllowList allowList;
    private final ScheduledExecutorService timer;
    private final HttpClient client;

    public UrlFetcher(DownloadPolicy policy, ScheduledExecutorService timer) {
        this.policy = policy;
        this.allowList = new HostAllowList(policy.allowedHosts());
        this.timer = timer;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(policy.connectTimeout())
                .build();
    }

    /** Checks, without any network access, that a request may name this URL. */
    public void checkAllowed(String path, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidRequestException("resource '" + path + "': url must be http or https");
        }
        if (url.getHost() == null) {
            throw new InvalidRequestException("resource '" + path + "': url has no host");
        }
        if (!allowList.mayName(url.getHost())) {
            throw new InvalidRequestException("resource '" + path + "': host '" + url.getHost()
                    + "' is not allowed; the operator lists the hosts resources may come from in URL_ALLOWED_HOSTS"
                    + (allowList.isEmpty() ? " (empty: no downloads allowed)" : ""));
        }
    }

    /** Downloads {@code url} into the store, retrying failures that may pass. */
    public Sha256 fetch(URI url, ContentStore store) throws DownloadFailedException, InterruptedException {
        Duration backoff = policy.retryBackoff();
        for (int attempt = 0; ; attempt++) {
            try {
                return fetchOnce(url, store);
            } catch (DownloadFailedException e) {
                if (!e.retryable() || attempt >= policy.retries()) {
                    throw e;
                }
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private Sha256 fetchOnce(URI url, ContentStore store) throws DownloadFailedException, InterruptedException {
        long deadline = System.nanoTime() + policy.totalTimeout().toNanos();
        URI current = url;
        for (int hop = 0; hop <= policy.maxRedirects(); hop++) {
            checkResolved(current);
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                throw DownloadFailedException.transientFailure("timed out after " + policy.totalTimeout().toSeconds() + " s");
            }
            HttpResponse<InputStream> response = send(current, left);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                closeQuietly(response.body());
                String location = response.headers().firstValue("location").orElseThrow(
                        () -> DownloadFailedException.permanent("HTTP " + status + " without a Location"));
                current = current.resolve(location);
                continue;
            }
            if (status != 200) {
                closeQuietly(response.body());
                String message = "HTTP " + status + " from " + current.getHost();
                throw status == 404 ? DownloadFailedException.notFound(message)
                        : status >= 500 ? DownloadFailedException.transientFailure(message)
                        : DownloadFailedException.permanent(message);
            }
            long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
            if (declared > policy.maxBytes()) {
                // Refused before a byte is read; a body without a length is capped while it is read.
                closeQuietly(response.body());
                throw DownloadFailedException.permanent("larger than the " + policy.maxBytes() + "-byte download limit");
            }
            return store(response.body(), store, deadline);
        }
        throw DownloadFailedException.permanent("more than " + policy.maxRedirects() + " redirects");
    }

    private void checkResolved(URI uri) throws DownloadFailedException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw DownloadFailedException.permanent("redirected to a URL that is not http(s): " + uri);
        }
        List<InetAddress> addresses;
        try {
            addresses = HostAllowList.resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw DownloadFailedException.transientFailure("unknown host " + uri.getHost());
        }
        if (!allowList.allows(uri.getHost(), addresses)) {
            throw DownloadFailedException.permanent("host '" + uri.getHost() + "' is not in URL_ALLOWED_HOSTS");
        }
    }

    private HttpResponse<InputStream> send(URI uri, Duration timeout) throws DownloadFailedException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw DownloadFailedException.transientFailure("timed out connecting to " + uri.getHost());
        } catch (IOException e) {
            throw DownloadFailedException.transientFailure("cannot download from " + uri.getHost() + ": " + e.getMessage());
        }
    }

    private Sha256 store(InputStream body, ContentStore store, long deadline) throws DownloadFailedException {
        // A stalled body is cut off at the deadline by closing it from the timer.
        ScheduledFuture<?> cutOff = timer.schedule(() -> closeQuietly(body), deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        try (body) {
            return store.put(body, policy.maxBytes(), null);
        } catch (ContentStore.ContentTooLargeException e) {
            throw DownloadFailedException.permanent("larger than the " + policy.maxBytes() + "-byte download limit");
        } catch (IOException e) {
            if (System.nanoTime() - deadline >= 0) {
                throw DownloadFailedException.transientFailure("timed out after " + policy.totalTimeout().toSeconds() + " s");
            }
            throw DownloadFailedException.transientFailure("download failed: " + e.getMessage());
        } catch (ContentStore.ContentMismatchException e) {
            throw new IllegalStateException("no hash was expected", e);
        } finally {
            cutOff.cancel(false);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Nothing more to read from it either way.
        }
    }
}
