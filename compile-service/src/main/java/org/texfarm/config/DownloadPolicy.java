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
 */
public record DownloadPolicy(
        List<String> allowedHosts,
        Duration connectTimeout,
        Duration totalTimeout,
        long maxBytes,
        int maxRedirects) {
    public DownloadPolicy {
        allowedHosts = List.copyOf(allowedHosts);
    }
}
