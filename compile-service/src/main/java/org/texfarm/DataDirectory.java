package org.texfarm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>One service at a time: {@code DATA_DIR/lock} is held locked while the directory is open, so a
 * second instance on the same directory (which would share its instance id, and remove its
 * containers as its own leftovers) is refused before it touches anything.
 */
public final class DataDirectory implements AutoCloseable {
    static final int LAYOUT_VERSION = 2;
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    /**
     * Directories this process has open: a file lock refuses other processes only, and closing a
     * second channel on the lock file could drop this process's lock.
     */
    private static final Set<Path> OPEN_HERE = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final FileChannel lock;
    private final String instanceId;
    private final FileStore disk;

    private DataDirectory(Path root, FileChannel lock, String instanceId) throws IOException {
        this.root = root;
        this.lock = lock;
        this.instanceId = instanceId;
        // Looked up once: finding a path's file store reads the mount table.
        this.disk = Files.getFileStore(root);
    }

    /**
     * Opens the data directory, creating or migrating its layout; fails on a layout it does not
     * know, and when another service has it open. Close it to let another one open it.
     */
    public static DataDirectory open(Path root) throws IOException {
        Files.createDirectories(root);
        FileChannel lock = lock(root);
        try {
            return open(root, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            OPEN_HERE.remove(root.toRealPath());
            throw e;
        }
    }

    private static DataDirectory open(Path root, FileChannel lock) throws IOException {
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
        return new DataDirectory(root, lock, instanceId(root));
    }

    /** Locks {@code root/lock} for this process, or says which process has it. */
    private static FileChannel lock(Path root) throws IOException {
        Path key = root.toRealPath();
        if (!OPEN_HERE.add(key)) {
            throw inUse(root, Long.toString(ProcessHandle.current().pid()));
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            if (channel.tryLock() == null) {
                ByteBuffer holder = ByteBuffer.allocate(32);
                channel.read(holder, 0);
                throw inUse(root, new String(holder.array(), 0, holder.position(), StandardCharsets.US_ASCII).trim());
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return channel;
        } catch (IOException | RuntimeException e) {
            OPEN_HERE.remove(key);
            if (channel != null) {
                channel.close();
            }
            throw e;
        }
    }

    private static IllegalStateException inUse(Path root, String pid) {
        return new IllegalStateException("DATA_DIR " + root + " is in use by another compile service"
                + (pid.isEmpty() ? "" : " (pid " + pid + ")") + ": stop it, or give this one a DATA_DIR of its own");
    }

    /** Lets another service open the directory. */
    @Override
    public void close() throws IOException {
        lock.close();
        OPEN_HERE.remove(root.toRealPath());
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
