package org.texfarm.sync;

import java.net.URI;

/** One file of a compile request: its content inline, a URL to download it from, or the hash of content sent before. */
public sealed interface Resource {
    ResourcePath path();

    /** A file whose (UTF-8 text) content travels in the request. */
    record Inline(ResourcePath path, String content) implements Resource {
    }

    /**
     * A file the service downloads (and caches by URL and {@code modified}, ms since the epoch, or
     * null for "always download"); {@code fallbackUrl}, or null, is tried when the URL answers 404.
     */
    record Download(ResourcePath path, URI url, Long modified, URI fallbackUrl) implements Resource {
    }

    /** A file whose content this project sent before (inline, by URL or by upload), named by its SHA-256. */
    record Stored(ResourcePath path, Sha256 hash) implements Resource {
    }
}
