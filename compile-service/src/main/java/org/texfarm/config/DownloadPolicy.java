package org.texfarm.config;

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
 */
public record DownloadPolicy(
        List<String> allowedHosts,
        Duration connectTimeout,
        Duration totalTimeout,
        long maxBytes,
        int maxRedirects,
        int retries,
        Duration retryBackoff) {
    public DownloadPolicy {
        allowedHosts = List.copyOf(allowedHosts);
    }
}
