package org.texfarm.config;

import java.time.Duration;
import java.util.List;

/**
 * Bounds on what one request may carry, and on the memory that answering them may hold.
 *
 * @param maxBodyBytes   largest request body; past it, 413
 * @param maxResources   most resources in one compile request
 * @param maxPathLength  longest resource path, in characters
 * @param maxPathDepth   most directory levels in a resource path
 * @param bodyTimeout    how long a client may take to send a request's body; then its connection is closed
 * @param syncTexCacheBytes memory for the parsed SyncTeX data of recent builds; a build whose data
 *                       would need more gets 404 on SyncTeX queries
 * @param hostNames      the names a request's {@code Host} may give, besides IP addresses, {@code localhost}
 *                       and {@code PUBLIC_BASE_URL}'s host
 */
public record RequestLimits(long maxBodyBytes, int maxResources, int maxPathLength, int maxPathDepth,
                            Duration bodyTimeout, long syncTexCacheBytes, List<String> hostNames) {
    public RequestLimits {
        hostNames = List.copyOf(hostNames);
    }
}
