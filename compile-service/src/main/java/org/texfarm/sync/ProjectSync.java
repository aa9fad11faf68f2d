package org.texfarm.sync;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.texfarm.compile.CompileResult.ResourceError;
import org.texfarm.compile.Resource;

/**
 * Brings a compile directory to the state a request describes: every resource written (or
 * downloaded), every other file removed unless {@link KeepBetweenRuns} keeps it. Runs while no
 * sandbox uses the directory, and never follows a link the last sandbox may have left there.
 */
public final class ProjectSync {
    private final UrlFetcher fetcher;
    private final Ownership ownership;

    public ProjectSync(UrlFetcher fetcher, Ownership ownership) {
        this.fetcher = fetcher;
        this.ownership = ownership;
    }

    /** Creates the compile directory (and its parents) if needed, owned by the sandbox user and private to it. */
    public void prepare(Path compileDir) throws IOException {
        if (!SafeFiles.isRealDirectory(compileDir)) {
            SafeFiles.deleteRecursively(compileDir);
            Files.createDirectories(compileDir.getParent());
            Files.createDirectory(compileDir);
        }
        ownership.apply(compileDir);
        Files.setPosixFilePermissions(compileDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    /** Writes the resources and removes stale files; returns the downloads that failed. */
    public List<ResourceError> sync(Path compileDir, List<Resource> resources) throws IOException, InterruptedException {
        Set<String> resourcePaths = new HashSet<>();
        for (Resource resource : resources) {
            resourcePaths.add(resource.path().toString());
        }
        removeStale(compileDir, resourcePaths);

        List<ResourceError> errors = new ArrayList<>();
        for (Resource resource : resources) {
            Path target = resource.path().resolveIn(compileDir);
            SafeFiles.ensureDirectories(compileDir, target.getParent(), ownership);
            switch (resource) {
                case Resource.Inline inline -> SafeFiles.writeAtomically(target,
                        new ByteArrayInputStream(inline.content().getBytes(StandardCharsets.UTF_8)));
                case Resource.Download download -> {
                    try {
                        fetcher.fetch(download.url(), target);
                    } catch (DownloadFailedException e) {
                        SafeFiles.deleteRecursively(target);
                        errors.add(new ResourceError(download.path().toString(), download.url().toString(), e.getMessage()));
                    }
                }
            }
        }
        return errors;
    }

    /** Removes every generated file, keeping only the resources: after a killed compile the rest may be corrupt. */
    public void wipeGenerated(Path compileDir, List<Resource> resources) throws IOException {
        Set<String> resourcePaths = new HashSet<>();
        resources.forEach(r -> resourcePaths.add(r.path().toString()));
        walk(compileDir, resourcePaths, path -> false);
    }

    private void removeStale(Path compileDir, Set<String> resourcePaths) throws IOException {
        walk(compileDir, resourcePaths, path -> KeepBetweenRuns.keeps(path,
                other -> SafeFiles.isRealFile(compileDir.resolve(other))));
    }

    /** Deletes every entry that is not a resource and not kept; directories left empty go too. */
    private static void walk(Path root, Set<String> resourcePaths, java.util.function.Predicate<ResourcePath> keep)
            throws IOException {
        if (!SafeFiles.isRealDirectory(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String relative = root.relativize(file).toString();
                if (!attrs.isRegularFile() || !resourcePaths.contains(relative) && !keep.test(asResourcePath(relative))) {
                    Files.delete(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                if (!dir.equals(root)) {
                    try (var entries = Files.list(dir)) {
                        if (entries.findAny().isEmpty()) {
                            Files.delete(dir);
                        }
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static ResourcePath asResourcePath(String relative) {
        return new ResourcePath(List.of(relative.split("/")));
    }
}
