package org.texfarm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.sync.SafeFiles;

/**
 * The layout of {@code DATA_DIR}, versioned in {@code DATA_DIR/layout-version}:
 * <pre>
 *   layout-version, instance-id
 *   store/       the content store (blobs by SHA-256)
 *   state/       one state file per project
 *   url-cache/   downloads by URL and version
 *   compiles/    compile directories: p/&lt;project&gt;, u/&lt;project&gt;/&lt;user&gt;
 *   builds/      outputs of compiles, same layout, then &lt;buildId&gt;/
 *   slots/       one directory per sandbox container; a project's directory is renamed into it for a compile
 * </pre>
 * Version 1 (no version file) had only compiles/ and builds/: its compile directories are kept
 * (the next full sync of each project refreshes them). A newer version is refused.
 */
public final class DataDirectory {
    static final int LAYOUT_VERSION = 2;
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

    private final Path root;
    private final String instanceId;
    private final FileStore disk;

    private DataDirectory(Path root, String instanceId) throws IOException {
        this.root = root;
        this.instanceId = instanceId;
        // Looked up once: finding a path's file store reads the mount table.
        this.disk = Files.getFileStore(root);
    }

    /** Opens the data directory, creating or migrating its layout; fails on a layout it does not know. */
    public static DataDirectory open(Path root) throws IOException {
        Files.createDirectories(root);
        Path versionFile = root.resolve("layout-version");
        if (SafeFiles.isRealFile(versionFile)) {
            String text = Files.readString(versionFile).trim();
            int version;
            try {
                version = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalStateException(versionFile + " holds '" + text + "', not a layout version: "
                        + "restore it, or point DATA_DIR at an empty directory");
            }
            if (version > LAYOUT_VERSION) {
                throw new IllegalStateException(root + " has layout version " + version + ", written by a newer "
                        + "compile service; this one reads up to version " + LAYOUT_VERSION
                        + ": run the newer version, or point DATA_DIR at another directory");
            }
        } else if (Files.isDirectory(root.resolve("compiles")) || Files.isDirectory(root.resolve("builds"))) {
            log.info("migrating {} from layout 1 to {}: compile directories are refreshed by their next full sync",
                    root, LAYOUT_VERSION);
        }
        write(versionFile, Integer.toString(LAYOUT_VERSION));
        return new DataDirectory(root, instanceId(root));
    }

    public Path root() {
        return root;
    }

    /** The id that labels this instance's containers: kept here, so it survives restarts. */
    public String instanceId() {
        return instanceId;
    }

    public Path store() {
        return root.resolve("store");
    }

    public Path states() {
        return root.resolve("state");
    }

    public Path urlCache() {
        return root.resolve("url-cache");
    }

    public Path compiles() {
        return root.resolve("compiles");
    }

    public Path builds() {
        return root.resolve("builds");
    }

    /** Working directories of background jobs (preamble dumps); nothing in it outlives a run. */
    public Path scratch() {
        return root.resolve("scratch");
    }

    /** Sandbox slots: one directory per sandbox container, mounted into it. */
    public Path slots() {
        return root.resolve("slots");
    }

    /** Free space on the data directory's disk. */
    public long freeBytes() {
        try {
            return disk.getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String instanceId(Path root) throws IOException {
        Path file = root.resolve("instance-id");
        if (SafeFiles.isRealFile(file)) {
            String id = Files.readString(file).trim();
            if (id.matches("[0-9a-f]{12}")) {
                return id;
            }
        }
        String id = RandomIds.hex(6);
        write(file, id);
        return id;
    }

    private static void write(Path file, String text) throws IOException {
        SafeFiles.writeAtomically(file, new ByteArrayInputStream((text + "\n").getBytes(StandardCharsets.US_ASCII)));
    }
}
