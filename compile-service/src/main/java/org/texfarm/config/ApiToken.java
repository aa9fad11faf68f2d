package org.texfarm.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The shared secret the API requires when an operator sets one; never printed. */
public record ApiToken(String secret) {

    /** Whether an {@code Authorization} header carries this token, compared in constant time. */
    public boolean admits(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ApiToken[hidden]";
    }
}
