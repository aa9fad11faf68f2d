package org.texfarm.sync;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/** One file of a compile request: its content inline, a URL to download it from, or the hash of content sent before. */
public sealed interface Resource {
    ResourcePath path();

    /** A file whose (UTF-8 text) content travels in the request, hashed once when it is read. */
    record Inline(ResourcePath path, byte[] bytes, Sha256 hash) implements Resource {
        public Inline(ResourcePath path, String content) {
            this(path, content.getBytes(StandardCharsets.UTF_8));
        }

        private Inline(ResourcePath path, byte[] bytes) {
            this(path, bytes, Sha256.of(bytes));
        }

        public String content() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
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
