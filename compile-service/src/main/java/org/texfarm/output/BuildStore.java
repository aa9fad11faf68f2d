package org.texfarm.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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

    /** The compile's standard output and error, saved beside its outputs when not empty, as CLSI does. */
    public static final String STDOUT = "output.stdout";
    public static final String STDERR = "output.stderr";
    private static final String MAIN_LOG = "output.log";
    private static final byte[] TRUNCATED = "\n[log truncated by the compile service]\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * What a compile's build holds.
     *
     * @param files         its files, by path
     * @param overLimits    whether the compile directory held more than the limits allow (the
     *                      build then keeps only the log)
     * @param cutBySizeLimit outputs that reached the sandbox's file size limit, so were cut short
     */
    public record Build(List<OutputFile> files, boolean overLimits, List<String> cutBySizeLimit) {
    }

    /**
     * Copies the outputs of {@code compileDir} (regular files that are not among {@code inputs} and
     * not dot files or in dot directories) and the compile's console output into a new build, and
     * prunes old builds in the background. TeX logs are cut at {@code limits.logBytes()}. When the
     * directory is over its limits (a job faster than the sandbox's watchdog), only the log is kept.
     */
    public Build save(ProjectKey project, String buildId, Path compileDir, Set<String> inputs, String stdout,
                      String stderr, OutputLimits limits) throws IOException {
        Map<String, Path> outputs = new TreeMap<>();
        List<String> cut = new ArrayList<>();
        long[] totals = new long[2];
        Files.walkFileTree(compileDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                totals[0] += attrs.size();
                totals[1]++;
                String relative = compileDir.relativize(file).toString();
                if (attrs.isRegularFile() && !inputs.contains(relative)) {
                    if (attrs.size() >= limits.fileBytes()) {
                        cut.add(relative);
                    }
                    if (!isHidden(relative)) {
                        outputs.put(relative, file);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        boolean overLimits = totals[0] > limits.diskBytes() || totals[1] > limits.diskFiles();
        if (overLimits) {
            outputs.keySet().retainAll(Set.of(MAIN_LOG));
        }
        // The build's stdout and stderr are the launcher's, never files the job wrote under those names.
        outputs.remove(STDOUT);
        outputs.remove(STDERR);

        Path projectBuilds = projectDirectory(project);
        Files.createDirectories(projectBuilds);
        Path staging = SafeFiles.temporarySibling(projectBuilds.resolve(buildId));
        List<OutputFile> files = new ArrayList<>();
        try {
            Files.createDirectory(staging);
            for (var output : outputs.entrySet()) {
                Path copy = staging.resolve(output.getKey());
                Files.createDirectories(copy.getParent());
                copy(output.getValue(), copy, output.getKey().endsWith(".log") ? limits.logBytes() : Long.MAX_VALUE);
                files.add(new OutputFile(output.getKey(), typeOf(output.getKey()), buildId, Files.size(copy)));
            }
            for (var stream : Map.of(STDOUT, stdout, STDERR, stderr).entrySet()) {
                if (!stream.getValue().isEmpty()) {
                    Path written = Files.writeString(staging.resolve(stream.getKey()), stream.getValue());
                    files.add(new OutputFile(stream.getKey(), typeOf(stream.getKey()), buildId, Files.size(written)));
                }
            }
            Files.move(staging, projectBuilds.resolve(buildId), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            SafeFiles.deleteRecursively(staging);
        }
        pruner.execute(() -> prune(projectBuilds));
        files.sort(Comparator.comparing(OutputFile::path));
        return new Build(files, overLimits, cut);
    }

    /** Copies a file, never through a link, up to {@code cap} bytes; a cut copy ends with a line that says so. */
    private static void copy(Path file, Path copy, long cap) throws IOException {
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             OutputStream out = Files.newOutputStream(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[64 * 1024];
            long remaining = cap;
            for (int read; remaining > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining))) > 0; ) {
                out.write(buffer, 0, read);
                remaining -= read;
            }
            if (remaining == 0 && in.read() >= 0) {
                out.write(TRUNCATED);
            }
        }
    }

    private static boolean isHidden(String relative) {
        for (String component : relative.split("/")) {
            if (component.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The file at {@code path} in a build, if it exists as a regular file. */
    public Optional<Path> find(ProjectKey project, String buildId, ResourcePath path) {
        Path file = path.resolveIn(projectDirectory(project).resolve(BuildId.validate(buildId)));
        return SafeFiles.isRealFile(file) ? Optional.of(file) : Optional.empty();
    }

    /**
     * Writes the build's files into a zip, in path order, each read as it is written; returns false,
     * having written nothing, when the build is not kept.
     */
    public boolean writeArchive(ProjectKey project, String buildId, OutputStream out) throws IOException {
        Path build = projectDirectory(project).resolve(BuildId.validate(buildId));
        if (!SafeFiles.isRealDirectory(build)) {
            return false;
        }
        SafeFiles.zip(build, file -> true, out);
        return true;
    }

    /**
     * The project's newest kept build: that of its last compile, since a result given again from
     * the cache is always the project's last build.
     */
    public Optional<String> latest(ProjectKey project) throws IOException {
        Path projectBuilds = projectDirectory(project);
        if (!SafeFiles.isRealDirectory(projectBuilds)) {
            return Optional.empty();
        }
        return newestFirst(projectBuilds).stream().findFirst().map(build -> build.getFileName().toString());
    }

    /** Whether the build is still kept. */
    public boolean exists(ProjectKey project, String buildId) {
        return SafeFiles.isRealDirectory(projectDirectory(project).resolve(BuildId.validate(buildId)));
    }

    /** Deletes every build of a project. */
    public void deleteAll(ProjectKey project) throws IOException {
        SafeFiles.deleteRecursively(projectDirectory(project));
    }

    /** Where the project's builds are, and what is kept beside them under dot names (never a build). */
    Path projectDirectory(ProjectKey project) {
        return root.resolve(project.relativeDirectory());
    }

    private void prune(Path projectBuilds) {
        try {
            List<Path> builds = newestFirst(projectBuilds);
            for (Path old : builds.subList(Math.min(buildsKept, builds.size()), builds.size())) {
                SafeFiles.deleteRecursively(old);
            }
        } catch (IOException e) {
            // Deleted meanwhile (the project expired, or another prune got there first); the next save prunes again.
            log.debug("pruning {} failed: {}", projectBuilds, e.toString());
        }
    }

    /** A project's kept builds (not the ones being saved), newest first. */
    private static List<Path> newestFirst(Path projectBuilds) throws IOException {
        try (Stream<Path> entries = Files.list(projectBuilds)) {
            // Build ids start with the time in hex; compare by that number.
            return entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparingLong(BuildStore::buildTime).reversed())
                    .toList();
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
