package org.texfarm;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Random names for things the service makes: ids, slots, temp files. Unique, not secret. */
public final class RandomIds {
    private RandomIds() {
    }

    /** {@code bytes} random bytes as lower-case hex. */
    public static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
