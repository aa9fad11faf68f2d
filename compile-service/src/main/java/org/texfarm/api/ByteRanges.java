package org.texfarm.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Range} header for a file of known size (RFC 9110, bytes only). Overleaf's PDF viewer
 * asks for one range, or for several at once when it reuses cached chunks around them.
 */
sealed interface ByteRanges {
    /** Most parts of one answer: a header asking for more gets the whole file, as RFC 9110 allows. */
    int MAX_PARTS = 64;
    Pattern SPEC = Pattern.compile("(\\d*)-(\\d*)");

    /** No range, or one this server does not serve by parts: the whole file. */
    record Whole() implements ByteRanges {
    }

    /** No part of the file is asked for: 416. */
    record Unsatisfiable() implements ByteRanges {
    }

    /** The parts to send, in the order asked, each within the file. */
    record Parts(List<Part> parts) implements ByteRanges {
        public Parts {
            parts = List.copyOf(parts);
        }

        long bytes() {
            return parts.stream().mapToLong(Part::length).sum();
        }
    }

    /** The bytes {@code first} to {@code last}, both included. */
    record Part(long first, long last) {
        long length() {
            return last - first + 1;
        }
    }

    static ByteRanges parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String value = header.trim();
        if (!value.startsWith("bytes=")) {
            return new Whole();
        }
        String[] specs = value.substring("bytes=".length()).split(",", -1);
        if (specs.length > MAX_PARTS) {
            return new Whole();
        }
        List<Part> parts = new ArrayList<>();
        for (String spec : specs) {
            Matcher matcher = SPEC.matcher(spec.trim());
            if (!matcher.matches() || matcher.group(1).isEmpty() && matcher.group(2).isEmpty()) {
                return new Whole();
            }
            Part part = part(matcher.group(1), matcher.group(2), size);
            if (part != null) {
                parts.add(part);
            }
        }
        return parts.isEmpty() || size == 0 ? new Unsatisfiable() : new Parts(parts);
    }

    /** One range spec's part of the file, or null when it starts past the end. */
    private static Part part(String first, String last, long size) {
        if (first.isEmpty()) {
            long suffix = number(last);
            return suffix == 0 ? null : new Part(Math.max(0, size - suffix), size - 1);
        }
        long start = number(first);
        long end = last.isEmpty() ? size - 1 : Math.min(number(last), size - 1);
        return start >= size || start > end ? null : new Part(start, end);
    }

    /** A run of digits; one beyond a long is past the end of any file. */
    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
