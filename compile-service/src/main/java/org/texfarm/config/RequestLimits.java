package org.texfarm.config;

/**
 * Bounds on what one request may carry.
 *
 * @param maxBodyBytes   largest request body; past it, 413
 * @param maxResources   most resources in one compile request
 * @param maxPathLength  longest resource path, in characters
 * @param maxPathDepth   most directory levels in a resource path
 */
public record RequestLimits(long maxBodyBytes, int maxResources, int maxPathLength, int maxPathDepth) {
}
