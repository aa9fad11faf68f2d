package org.texfarm.sync;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.texfarm.InvalidRequestException;
import org.texfarm.config.DownloadPolicy;

/**
 * Downloads resources given by URL, only from the operator's allowed hosts: every redirect is
 * followed by hand and checked again, a host's resolved addresses are checked against listed IP
 * ranges, and each download is bounded in time and size.
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

    /** Downloads {@code url} into {@code target} (atomically), following allowed redirects. */
    public void fetch(URI url, Path target) throws DownloadFailedException, InterruptedException {
        long deadline = System.nanoTime() + policy.totalTimeout().toNanos();
        URI current = url;
        for (int hop = 0; hop <= policy.maxRedirects(); hop++) {
            checkResolved(current);
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                throw new DownloadFailedException("timed out after " + policy.totalTimeout().toSeconds() + " s");
            }
            HttpResponse<InputStream> response = send(current, left);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                closeQuietly(response.body());
                String location = response.headers().firstValue("location")
                        .orElseThrow(() -> new DownloadFailedException("HTTP " + status + " without a Location"));
                current = current.resolve(location);
                continue;
            }
            if (status != 200) {
                closeQuietly(response.body());
                throw new DownloadFailedException("HTTP " + status + " from " + current.getHost());
            }
            copyBounded(response.body(), target, deadline);
            return;
        }
        throw new DownloadFailedException("more than " + policy.maxRedirects() + " redirects");
    }

    private void checkResolved(URI uri) throws DownloadFailedException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new DownloadFailedException("redirected to a URL that is not http(s): " + uri);
        }
        List<InetAddress> addresses;
        try {
            addresses = HostAllowList.resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw new DownloadFailedException("unknown host " + uri.getHost());
        }
        if (!allowList.allows(uri.getHost(), addresses)) {
            throw new DownloadFailedException("host '" + uri.getHost() + "' is not in URL_ALLOWED_HOSTS");
        }
    }

    private HttpResponse<InputStream> send(URI uri, Duration timeout) throws DownloadFailedException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new DownloadFailedException("timed out connecting to " + uri.getHost());
        } catch (IOException e) {
            throw new DownloadFailedException("cannot download from " + uri.getHost() + ": " + e.getMessage(), e);
        }
    }

    private void copyBounded(InputStream body, Path target, long deadline) throws DownloadFailedException {
        // A stalled body is cut off at the deadline by closing it from the timer.
        ScheduledFuture<?> cutOff = timer.schedule(() -> closeQuietly(body), deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        try (InputStream bounded = new SizeCappedInputStream(body, policy.maxBytes())) {
            SafeFiles.writeAtomically(target, bounded);
        } catch (SizeCappedInputStream.TooLargeException e) {
            throw new DownloadFailedException("larger than the " + policy.maxBytes() + "-byte download limit");
        } catch (IOException e) {
            if (System.nanoTime() - deadline >= 0 || e instanceof InterruptedIOException) {
                throw new DownloadFailedException("timed out after " + policy.totalTimeout().toSeconds() + " s");
            }
            throw new DownloadFailedException("download failed: " + e.getMessage(), e);
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

    /** Fails the read that would go past {@code limit} bytes. */
    static final class SizeCappedInputStream extends FilterInputStream {
        private final long limit;
        private long count;

        SizeCappedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLargeException {
            count += n;
            if (count > limit) {
                throw new TooLargeException();
            }
        }

        static final class TooLargeException extends IOException {
        }
    }
}
