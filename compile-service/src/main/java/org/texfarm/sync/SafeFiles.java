package org.texfarm.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.texfarm.RandomIds;

/**
 * File operations on directories that a sandbox has written to, and may have filled with links:
 * nothing here ever follows a symbolic link, and files appear whole or not at all (temp file, then
 * rename).
 */
public final class SafeFiles {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private SafeFiles() {
    }

    /** Whether {@code path} is a directory itself, not a link to one. */
    public static boolean isRealDirectory(Path path) {
        return Files.isDirectory(path, NOFOLLOW);
    }

    /** Whether {@code path} is a regular file itself, not a link to one. */
    public static boolean isRealFile(Path path) {
        return Files.isRegularFile(path, NOFOLLOW);
    }

    /**
     * Makes every directory between {@code root} (which must exist) and {@code dir}, replacing any
     * link or file that stands where a directory should be, and hands new ones to the sandbox user.
     */
    public static void ensureDirectories(Path root, Path dir, Ownership owner) throws IOException {
        Path relative = root.relativize(dir);
        Path current = root;
        for (Path component : relative) {
            current = current.resolve(component.toString());
            if (isRealDirectory(current)) {
                continue;
            }
            if (Files.exists(current, NOFOLLOW)) {
                deleteRecursively(current);
            }
            Files.createDirectory(current);
            owner.apply(current);
        }
    }

    /** Writes {@code content} to {@code target} atomically, replacing whatever entry (file, link, directory) was there. */
    public static void writeAtomically(Path target, InputStream content) throws IOException {
        Path temp = temporarySibling(target);
        try {
            try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(temp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW)))) {
                content.transferTo(out);
            }
            replace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Moves {@code source} onto {@code target} atomically; a directory or link at {@code target} is removed first. */
    public static void replace(Path source, Path target) throws IOException {
        if (Files.exists(target, NOFOLLOW) && !isRealFile(target)) {
            deleteRecursively(target);
        }
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A fresh hidden name beside {@code target}, for a file that is renamed into place once complete. */
    public static Path temporarySibling(Path target) {
        return target.resolveSibling(".tmp-" + RandomIds.hex(6) + "-" + target.getFileName());
    }

    /** Deletes a file, a link (not its target) or a directory tree; no link is followed. Missing is fine. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, NOFOLLOW)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Writes the regular files under {@code dir} that {@code include} takes (by their path relative
     * to it) into a zip on {@code out}, in path order, each read as it is written, never through a link.
     */
    public static void zip(Path dir, Predicate<Path> include, OutputStream out) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(SafeFiles::isRealFile).filter(file -> include.test(dir.relativize(file))).sorted().toList();
        }
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Path file : files) {
                zip.putNextEntry(new ZipEntry(dir.relativize(file).toString()));
                try (InputStream in = Files.newInputStream(file, NOFOLLOW)) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
    }
}
