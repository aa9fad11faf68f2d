package org.texfarm.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Who owns the directories the sandbox writes into: its uid and gid, when the service may hand them over. */
public record Ownership(int uid, int gid, boolean change) {

    /** Ownership for a service running as {@code serviceUid}: only root can give files away. */
    public static Ownership forSandbox(int uid, int gid, int serviceUid) {
        return new Ownership(uid, gid, serviceUid == 0);
    }

    /** Gives {@code path} (not a link's target) to the sandbox user. */
    public void apply(Path path) throws IOException {
        if (change) {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
