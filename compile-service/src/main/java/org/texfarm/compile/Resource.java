package org.texfarm.compile;

import java.net.URI;
import org.texfarm.sync.ResourcePath;

/** One file of a compile request: its content inline, or a URL to download it from. */
public sealed interface Resource {
    ResourcePath path();

    /** A file whose (UTF-8 text) content travels in the request. */
    record Inline(ResourcePath path, String content) implements Resource {
    }

    /** A file the service downloads; {@code modified} (ms since the epoch, or null) versions it. */
    record Download(ResourcePath path, URI url, Long modified) implements Resource {
    }
}
