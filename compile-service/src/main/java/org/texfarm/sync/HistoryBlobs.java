package org.texfarm.sync;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Overleaf's history blob URLs, {@code .../history/project/<historyId>/hash/<hash>} and
 * {@code .../history/global/hash/<hash>}: the URLs web builds for a project's binary files since
 * July 2025 (web's {@code HistoryManager.getFilestoreBlobURL}; Overleaf 5.2.1 still sends
 * {@code .../project/<id>/file/<id>} with {@code modified}). The hash is the content's git blob id, SHA-1 of {@code "blob <size>\0"} and the
 * bytes. Content that hashes to it is the same whichever project or URL named it, so it can be
 * shared by hash, without {@code modified}.
 */
final class HistoryBlobs {
    private static final Pattern BLOB_URL = Pattern.compile("/history/(?:project/[^/]+|global)/hash/([0-9a-f]{40})");

    private HistoryBlobs() {
    }

    /** The git blob id a URL names, when it is a history blob URL. */
    static Optional<String> idIn(URI url) {
        Matcher matcher = BLOB_URL.matcher(url.getRawPath() == null ? "" : url.getRawPath());
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The git blob id of {@code size} bytes of content. */
    static String idOf(InputStream content, long size) throws IOException {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
        sha1.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
        byte[] buffer = new byte[64 * 1024];
        for (int read; (read = content.read(buffer)) > 0; ) {
            sha1.update(buffer, 0, read);
        }
        return HexFormat.of().formatHex(sha1.digest());
    }
}
