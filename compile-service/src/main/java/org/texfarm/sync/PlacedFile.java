package org.texfarm.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;

/**
 * A resource as the service copied it into a compile directory: its content, and the file's
 * identity and change time right after. A compile may write over its resources; any write,
 * rename or replacement changes the inode or the ctime, which (unlike size and mtime) the sandbox
 * cannot set back, so a file that still matches both holds the content as it was placed.
 */
record PlacedFile(Sha256 hash, Object fileKey, FileTime changed) {

    static PlacedFile of(Sha256 hash, Path file) throws IOException {
        Identity identity = Identity.of(file);
        return new PlacedFile(hash, identity.fileKey(), identity.changed());
    }

    /** Whether {@code file} still holds this content, untouched since it was placed. */
    boolean isIntact(Sha256 expected, Identity file) {
        return hash.equals(expected) && Objects.equals(fileKey, file.fileKey()) && changed.equals(file.changed());
    }

    /** A regular file's inode and change time, read without following links. */
    record Identity(Object fileKey, FileTime changed) {
        /** The file attributes (unix view) an identity is made of, for a read that needs others too. */
        static final String ATTRIBUTES = "unix:fileKey,ctime";

        static Identity of(Path file) throws IOException {
            return of(Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS));
        }

        /** The identity in attributes read with at least {@link #ATTRIBUTES}. */
        static Identity of(Map<String, Object> attributes) {
            return new Identity(attributes.get("fileKey"), (FileTime) attributes.get("ctime"));
        }
    }
}
