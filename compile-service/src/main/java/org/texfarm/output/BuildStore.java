package org.texfarm.output;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.ProjectKey;
import org.texfarm.sync.ResourcePath;
import org.texfarm.sync.SafeFiles;

/**
 * Keeps the outputs of each compile as a build: a private copy, made after the sandbox has ended,
 * of every regular file the compile produced (never through a link), under
 * {@code builds/<project>/<buildId>/}. A build appears whole (copied aside, then renamed) and only
 * the newest few of a project are kept.
 */
public final class BuildStore {
    private static final Logger log = LoggerFactory.getLogger(BuildStore.class);

    private final Path root;
    private final int buildsKept;
    private final Executor pruner;

    /** @param pruner deletes the builds past the newest {@code buildsKept} after a save, off the compile's path */
    public BuildStore(Path root, int buildsKept, Executor pruner) {
        this.root = root;
        this.buildsKept = buildsKept;
        this.pruner = pruner;
    }

    /** The console output of the compile, saved beside its outputs. */
    public static final String CONSOLE_OUTPUT = "output.stdout";

    /**
     * Copies the outputs of {@code compileDir} (regular files that are not among {@code inputs} and
     * not dot files) and the compile's console output into a new build, and prunes old builds.
     */
    public List<OutputFile> save(ProjectKey project, String buildId, Path compileDir, Set<String> inputs,
                                 String consoleOutput) throws IOException {
        Path projectBuilds = projectDirectory(project);
        Files.createDirectories(projectBuilds);
        Path staging = SafeFiles.temporarySibling(projectBuilds.resolve(buildId));
        List<OutputFile> files = new ArrayList<>();
        try {
            Files.createDirectory(staging);
            Files.walkFileTree(compileDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(compileDir) && dir.getFileName().toString().startsWith(".")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String relative = compileDir.relativize(file).toString();
                    if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(".") && !inputs.contains(relative)) {
                        Path copy = staging.resolve(relative);
                        Files.createDirectories(copy.getParent());
                        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                            Files.copy(in, copy);
                        }
                        files.add(new OutputFile(relative, typeOf(relative), buildId, Files.size(copy)));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
            Path console = staging.resolve(CONSOLE_OUTPUT);
            Files.writeString(console, consoleOutput);
            files.removeIf(f -> f.path().equals(CONSOLE_OUTPUT));
            files.add(new OutputFile(CONSOLE_OUTPUT, "stdout", buildId, Files.size(console)));
            Files.move(staging, projectBuilds.resolve(buildId), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            SafeFiles.deleteRecursively(staging);
        }
        pruner.execute(() -> prune(projectBuilds));
        files.sort(Comparator.comparing(OutputFile::path));
        return files;
    }

    /** The file at {@code path} in a build, if it exists as a regular file. */
    public Optional<Path> find(ProjectKey project, String buildId, ResourcePath path) {
        Path file = path.resolveIn(projectDirectory(project).resolve(BuildId.validate(buildId)));
        return SafeFiles.isRealFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Whether the build is still kept. */
    public boolean exists(ProjectKey project, String buildId) {
        return SafeFiles.isRealDirectory(projectDirectory(project).resolve(BuildId.validate(buildId)));
    }

    /** Deletes every build of a project. */
    public void deleteAll(ProjectKey project) throws IOException {
        SafeFiles.deleteRecursively(projectDirectory(project));
    }

    private Path projectDirectory(ProjectKey project) {
        return root.resolve(project.relativeDirectory());
    }

    private void prune(Path projectBuilds) {
        try {
            List<Path> builds;
            try (Stream<Path> entries = Files.list(projectBuilds)) {
                // Build ids start with the time in hex; compare by that number, newest first.
                builds = entries.filter(p -> !p.getFileName().toString().startsWith("."))
                        .sorted(Comparator.comparingLong(BuildStore::buildTime).reversed())
                        .toList();
            }
            for (Path old : builds.subList(Math.min(buildsKept, builds.size()), builds.size())) {
                SafeFiles.deleteRecursively(old);
            }
        } catch (IOException e) {
            // Deleted meanwhile (the project expired, or another prune got there first); the next save prunes again.
            log.debug("pruning {} failed: {}", projectBuilds, e.toString());
        }
    }

    private static long buildTime(Path build) {
        String name = build.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.indexOf('-')), 16);
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    static String typeOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1);
    }
}
