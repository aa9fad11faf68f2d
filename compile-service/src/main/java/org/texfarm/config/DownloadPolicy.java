package org.texfarm.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where and how resources given by URL are downloaded.
 *
 * @param allowedHosts   host names, IP addresses or CIDR ranges that URLs may point to; empty allows none
 * @param connectTimeout time to open a connection
 * @param totalTimeout   time for one whole download, redirects included
 * @param maxBytes       largest download
 * @param maxRedirects   most redirects followed
 * @param retries        further attempts after a failure that may pass (connection error, timeout, 5xx)
 * @param retryBackoff   wait before the first retry; doubled for each further one
 * @param originOverride the origin ({@code http://host:port}) that replaces every resource URL's
 *                       own, as CLSI's {@code FILESTORE_DOMAIN_OVERRIDE} does, or null
 */
public record DownloadPolicy(
        List<String> allowedHosts,
        Duration connectTimeout,
        Duration totalTimeout,
        long maxBytes,
        int maxRedirects,
        int retries,
        Duration retryBackoff,
        URI originOverride) {
    public DownloadPolicy {
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** {@code url} with the override's origin, keeping its path and query; {@code url} itself without one. */
    public URI withOrigin(URI url) {
        if (originOverride == null) {
            return url;
        }
        return URI.create(originOverride.getScheme() + "://" + originOverride.getRawAuthority()
                + (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }
}
