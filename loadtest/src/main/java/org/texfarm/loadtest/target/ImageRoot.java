package org.texfarm.loadtest.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A TeX Live image's root filesystem as a directory, for running latexmk bare by chroot. Exported
 * once per image id with the docker CLI and kept, since the export takes a minute.
 */
public final class ImageRoot {
    private final Path path;

    private ImageRoot(Path path) {
        this.path = path;
    }

    /** A root filesystem exported before (it must hold {@code usr/bin/latexmk}). */
    public static ImageRoot at(Path path) {
        Path root = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("usr/bin/latexmk"))) {
            throw new IllegalArgumentException(root + " is not a TeX Live image's root filesystem (no usr/bin/latexmk)");
        }
        return new ImageRoot(root);
    }

    /** The image's root filesystem under {@code cacheDir}, exported now unless it was before. */
    public static ImageRoot export(String image, Path cacheDir) throws IOException, InterruptedException {
        String imageId = output("docker", "image", "inspect", "--format", "{{.Id}}", image).replace("sha256:", "");
        Path root = cacheDir.toAbsolutePath().resolve("rootfs-" + imageId.substring(0, 16));
        if (!Files.isRegularFile(root.resolve("usr/bin/latexmk"))) {
            Path staging = cacheDir.toAbsolutePath().resolve("staging-" + imageId.substring(0, 16));
            run("rm", "-rf", staging.toString());
            Files.createDirectories(staging);
            String container = output("docker", "create", image, "true");
            try {
                run("sh", "-c", "docker export " + container + " | tar -x -C " + staging);
            } finally {
                run("docker", "rm", "-f", container);
            }
            // An exported /dev is empty, and TeX writes to /dev/null.
            run("sh", "-c", "rm -f " + staging + "/dev/null && mknod -m 666 " + staging + "/dev/null c 1 3 && chmod 1777 "
                    + staging + "/tmp");
            Files.move(staging, root);
        }
        return at(root);
    }

    public Path path() {
        return path;
    }

    /** A directory inside the root filesystem. */
    Path directory(String relative) {
        Path dir = path.resolve(relative).normalize();
        if (!dir.startsWith(path) || dir.equals(path)) {
            throw new IllegalArgumentException(relative + " is not inside " + path);
        }
        return dir;
    }

    void chown(Path dir, String user) throws IOException, InterruptedException {
        run("chown", "-R", user, dir.toString());
    }

    void delete(Path dir) throws IOException, InterruptedException {
        run("rm", "-rf", directory(path.relativize(dir).toString()).toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        output(command);
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
