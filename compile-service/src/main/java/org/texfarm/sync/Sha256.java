package org.texfarm.sync;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.texfarm.InvalidRequestException;

/** A SHA-256 digest, as 64 lower-case hex characters: the name of a blob in the content store. */
public record Sha256(String hex) implements Comparable<Sha256> {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Sha256 {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + hex);
        }
    }

    /** Parses a client's hash, refusing anything but 64 hex characters. */
    public static Sha256 parse(String text) {
        if (text == null || !HEX.matcher(text.toLowerCase(java.util.Locale.ROOT)).matches()) {
            throw new InvalidRequestException("invalid hash '" + (text == null ? "null"
                    : text.length() > 70 ? text.substring(0, 70) + "..." : text) + "': expected 64 hex characters of SHA-256");
        }
        return new Sha256(text.toLowerCase(java.util.Locale.ROOT));
    }

    public static Sha256 of(byte[] content) {
        return new Sha256(HexFormat.of().formatHex(digest().digest(content)));
    }

    static Sha256 of(MessageDigest digest) {
        return new Sha256(HexFormat.of().formatHex(digest.digest()));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    @Override
    public int compareTo(Sha256 other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
