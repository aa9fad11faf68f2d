package org.texfarm.api;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An answer of several byte ranges ({@code multipart/byteranges}), laid out byte for byte as nginx
 * lays it out: Overleaf's PDF viewer checks each part's header against the one it expects from
 * CLSI's nginx, and sizes the answer with nginx's 20-digit boundary.
 */
final class MultipartRanges {
    /**
     * @param boundary the separator named in the answer's {@code Content-Type}
     * @param bytes    the whole body
     */
    record Body(String boundary, Buffer bytes) {
    }

    private MultipartRanges() {
    }

    /** Reads the parts of the file into one body. */
    static Body read(Path file, ByteRanges.Parts parts, long size, String contentType) throws IOException {
        String boundary = String.format("%020d", ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
        Buffer body = Buffer.buffer((int) parts.bytes() + parts.parts().size() * 128);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            for (ByteRanges.Part part : parts.parts()) {
                body.appendString("\r\n--" + boundary + "\r\nContent-Type: " + contentType + "\r\nContent-Range: bytes "
                        + part.first() + "-" + part.last() + "/" + size + "\r\n\r\n", StandardCharsets.US_ASCII.name());
                ByteBuffer bytes = ByteBuffer.allocate((int) part.length());
                for (long at = part.first(); bytes.hasRemaining(); ) {
                    int read = channel.read(bytes, at);
                    if (read < 0) {
                        throw new IOException(file + " ended at " + at + ", before the range asked for");
                    }
                    at += read;
                }
                body.appendBytes(bytes.array());
            }
        }
        body.appendString("\r\n--" + boundary + "--\r\n", StandardCharsets.US_ASCII.name());
        return new Body(boundary, body);
    }
}
