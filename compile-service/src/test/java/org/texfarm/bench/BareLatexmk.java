package org.texfarm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * latexmk run bare: by chroot in an exported copy of the sandbox image's root filesystem, as the
 * sandbox user, with the image's environment and the service's own command line, but no service,
 * no container and no limits. The floor every service compile is measured against.
 */
final class BareLatexmk {
    private static final List<String> IMAGE_ENV = List.of(
            "HOME=/tmp", "LANG=C.UTF-8", "PATH=/usr/local/bin:/usr/bin:/bin", "TEXMFVAR=/tmp/texmf-var",
            "TEXMFCACHE=/tmp/texmf-var", "openin_any=p", "openout_any=p", "shell_escape=f");

    private final Path rootfs;

    private BareLatexmk(Path rootfs) {
        this.rootfs = rootfs;
    }

    /** Exports the image's filesystem once (kept under {@code cacheDir}, keyed by the image id). */
    static BareLatexmk export(String image, Path cacheDir) throws IOException, InterruptedException {
        String imageId = output("docker", "image", "inspect", "--format", "{{.Id}}", image).replace("sha256:", "").substring(0, 16);
        Path rootfs = cacheDir.resolve("rootfs-" + imageId);
        if (!Files.isDirectory(rootfs.resolve("usr/bin"))) {
            Path staging = cacheDir.resolve("staging-" + imageId);
            run("rm", "-rf", staging.toString());
            Files.createDirectories(staging);
            String container = output("docker", "create", image, "true");
            try {
                run("sh", "-c", "docker export " + container + " | tar -x -C " + staging);
            } finally {
                run("docker", "rm", "-f", container);
            }
            run("sh", "-c", "rm -f " + staging + "/dev/null && mknod -m 666 " + staging + "/dev/null c 1 3 && chmod 1777 " + staging + "/tmp");
            Files.move(staging, rootfs);
        }
        return new BareLatexmk(rootfs);
    }

    /** A fresh directory for a project inside the root filesystem, owned by the sandbox user. */
    Path newProjectDirectory(String name) throws IOException, InterruptedException {
        Path dir = rootfs.resolve("bench").resolve(name);
        run("rm", "-rf", dir.toString());
        Files.createDirectories(dir);
        return dir;
    }

    /** Hands a project directory's files to the sandbox user, as the service does. */
    void chown(Path dir) throws IOException, InterruptedException {
        run("chown", "-R", "10001:10001", dir.toString());
    }

    /** Runs latexmk in {@code dir}; returns the wall-clock nanoseconds. */
    long compile(Path dir, List<String> latexmk) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("chroot", "--userspec=10001:10001", rootfs.toString(),
                "/usr/bin/env", "-i", "-C", "/" + rootfs.relativize(dir)));
        command.addAll(IMAGE_ENV);
        command.addAll(latexmk);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("bare latexmk did not finish in 10 minutes");
        }
        long elapsed = System.nanoTime() - start;
        if (!Files.isRegularFile(dir.resolve("output.pdf"))) {
            throw new IllegalStateException("bare latexmk made no PDF in " + dir + " (exit " + process.exitValue() + ")");
        }
        return elapsed;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes()).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
