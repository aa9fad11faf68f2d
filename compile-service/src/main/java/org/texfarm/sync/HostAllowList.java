package org.texfarm.sync;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.texfarm.config.ConfigException;

/**
 * The hosts that resources may be downloaded from ({@code URL_ALLOWED_HOSTS}): host names matched
 * exactly, and IP addresses or CIDR ranges that every address a host resolves to must fall in.
 */
public final class HostAllowList {
    private static final Pattern IP_LIKE = Pattern.compile("[0-9.]+(/\\d+)?|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(/\\d+)?");

    private final List<String> names = new ArrayList<>();
    private final List<Range> ranges = new ArrayList<>();

    public HostAllowList(List<String> entries) {
        for (String entry : entries) {
            String e = entry.toLowerCase(Locale.ROOT);
            if (IP_LIKE.matcher(e).matches()) {
                ranges.add(Range.parse(e));
            } else {
                names.add(e.endsWith(".") ? e.substring(0, e.length() - 1) : e);
            }
        }
    }

    public boolean isEmpty() {
        return names.isEmpty() && ranges.isEmpty();
    }

    /** Whether a URL naming {@code host} may be fetched, before any name is resolved. */
    public boolean mayName(String host) {
        String h = normalize(host);
        return names.contains(h) || !ranges.isEmpty();
    }

    /**
     * Whether {@code host}, resolved to {@code addresses}, may be fetched: listed by name, or every
     * address inside a listed range.
     */
    public boolean allows(String host, List<InetAddress> addresses) {
        if (names.contains(normalize(host))) {
            return true;
        }
        return !addresses.isEmpty() && addresses.stream().allMatch(a -> ranges.stream().anyMatch(r -> r.contains(a)));
    }

    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private record Range(BigInteger network, int prefix, int bits) {
        static Range parse(String entry) {
            String[] parts = entry.split("/", 2);
            try {
                // A literal (IP_LIKE checked it): parsed, never looked up.
                byte[] address = InetAddress.getByName(parts[0]).getAddress();
                int bits = address.length * 8;
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
                if (prefix < 0 || prefix > bits) {
                    throw new ConfigException("URL_ALLOWED_HOSTS: prefix length out of range in '" + entry + "'");
                }
                return new Range(masked(new BigInteger(1, address), prefix, bits), prefix, bits);
            } catch (IllegalArgumentException | UnknownHostException e) {
                throw new ConfigException("URL_ALLOWED_HOSTS: '" + entry + "' is neither a host name nor an IP address or CIDR range");
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            return bytes.length * 8 == bits && masked(new BigInteger(1, bytes), prefix, bits).equals(network);
        }

        private static BigInteger masked(BigInteger value, int prefix, int bits) {
            return value.shiftRight(bits - prefix);
        }
    }

    /** Resolves a host name (or literal) to all its addresses. */
    public static List<InetAddress> resolve(String host) throws UnknownHostException {
        return List.of(InetAddress.getAllByName(normalize(host)));
    }
}
