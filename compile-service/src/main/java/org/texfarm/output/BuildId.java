package org.texfarm.output;

import java.time.Clock;
import java.util.regex.Pattern;
import org.texfarm.InvalidRequestException;
import org.texfarm.RandomIds;

/** Build ids in CLSI's format: the time in ms in hex, a dash, 8 random bytes in hex. */
public final class BuildId {
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{1,16}-[0-9a-f]{1,32}");

    private BuildId() {
    }

    public static String next(Clock clock) {
        return Long.toHexString(clock.millis()) + "-" + RandomIds.hex(8);
    }

    public static String validate(String buildId) {
        if (buildId == null || !FORMAT.matcher(buildId).matches()) {
            throw new InvalidRequestException("invalid build id '" + buildId + "': expected hex-hex, as 18c2f3a4b5c-0123456789abcdef");
        }
        return buildId;
    }
}
