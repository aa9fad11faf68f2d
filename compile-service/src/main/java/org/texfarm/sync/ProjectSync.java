package org.texfarm.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.texfarm.InvalidRequestException;
import org.texfarm.ProjectKey;

/**
 * Brings a compile directory to the state a request describes, with CLSI's sync semantics: a full
 * sync lists every resource; an incremental one lists what changed since the full sync whose
 * {@code syncState} it repeats. Content goes through the {@link ContentStore}: each resource is
 * stored once, and a file is written only when the directory does not hold that content already.
 * Files that are not resources are removed unless {@link KeepBetweenRuns} keeps them. Runs while
 * no sandbox uses the directory, and never follows a link the last sandbox may have left there.
 */
public final class ProjectSync {
    private final ContentStore store;
    private final UrlCache urls;
    private final ProjectStates states;
    private final KeepBetweenRuns keep;
    private final Ownership ownership;
    private final Clock clock;
    private final Duration uploadLifetime;
    private final Counter filesWritten;
    private final Counter filesUnchanged;

    /**
     * What a sync did.
     *
     * @param files        every resource of the project now, with its content hash
     * @param errors       downloads that failed
     * @param filesWritten files written into the compile directory
     */
    public record Outcome(Map<String, Sha256> files, List<ResourceError> errors, int filesWritten) {
        public Outcome {
            files = Map.copyOf(files);
            errors = List.copyOf(errors);
        }

        public Set<String> resourcePaths() {
            return files.keySet();
        }
    }

    public ProjectSync(ContentStore store, UrlCache urls, ProjectStates states, KeepBetweenRuns keep, Ownership ownership,
                       Clock clock, Duration uploadLifetime, MeterRegistry registry) {
        this.store = store;
        this.urls = urls;
        this.states = states;
        this.keep = keep;
        this.ownership = ownership;
        this.clock = clock;
        this.uploadLifetime = uploadLifetime;
        this.filesWritten = Counter.builder("sync.files.written").description("resource files written into compile directories").register(registry);
        this.filesUnchanged = Counter.builder("sync.files.unchanged").description("resource files already in place").register(registry);
    }

    /**
     * Syncs the request's resources into {@code compileDir}.
     *
     * @throws SyncConflictException   when an incremental sync does not match the project's state, or
     *                                 a resource names content this project has not sent
     * @throws InvalidRequestException when {@code root} is not among the project's resources
     */
    public Outcome sync(ProjectKey project, Path compileDir, SyncType type, String syncState, ResourcePath root,
                        List<Resource> resources) throws IOException, InterruptedException, SyncConflictException {
        Instant now = clock.instant();
        ProjectState state = states.get(project).orElse(null);
        if (type == SyncType.INCREMENTAL) {
            checkIncremental(state, syncState);
        }
        ProjectState known = state == null ? ProjectState.empty(now) : state;

        Map<String, Sha256> files = type == SyncType.INCREMENTAL ? new HashMap<>(known.files()) : new HashMap<>();
        List<ResourceError> errors = new ArrayList<>();
        for (Resource resource : resources) {
            String path = resource.path().toString();
            switch (resource) {
                case Resource.Inline inline -> files.put(path, store.put(inline.bytes(), inline.hash()));
                case Resource.Stored stored -> files.put(path, known(known, stored));
                case Resource.Download download -> {
                    try {
                        files.put(path, urls.get(download.url(), download.modified(), download.fallbackUrl()));
                    } catch (DownloadFailedException e) {
                        files.remove(path);
                        errors.add(new ResourceError(path, download.url().toString(), e.getMessage()));
                    }
                }
            }
        }
        if (!files.containsKey(root.toString())) {
            throw new InvalidRequestException("rootResourcePath '" + root + "' is not among the project's resources");
        }
        for (var file : files.entrySet()) {
            if (!store.contains(file.getValue())) {
                throw new SyncConflictException("the content of '" + file.getKey() + "' is no longer stored: send a full sync");
            }
        }

        prepare(compileDir);
        // One walk both removes stale entries and tells which resources are in place already.
        Map<String, BasicFileAttributes> present = removeUnlisted(compileDir, files.keySet(), keep);
        int written = 0;
        for (var file : files.entrySet()) {
            BasicFileAttributes attributes = present.get(file.getKey());
            if (attributes != null && store.holds(file.getValue(), attributes)) {
                filesUnchanged.increment();
                continue;
            }
            place(compileDir, file.getKey(), file.getValue());
            written++;
            filesWritten.increment();
        }
        String newSyncState = type == SyncType.INCREMENTAL ? known.syncState() : syncState;
        // Applied to the state as it is now: uploads that arrived during this sync stay recorded.
        states.update(project, current -> (current == null ? ProjectState.empty(now) : current)
                .synced(newSyncState, files, now.minus(uploadLifetime), now));
        return new Outcome(files, errors, written);
    }

    /** Records that a request used the project without changing it. */
    public void touch(ProjectKey project) throws IOException {
        Instant now = clock.instant();
        states.updateExisting(project, state -> state.usedAt(now));
    }

    /** Fills a new directory, given to the sandbox user like a compile directory, with {@code files} from the store. */
    public void fill(Path dir, Map<String, Sha256> files) throws IOException {
        prepare(dir);
        for (var file : files.entrySet()) {
            place(dir, file.getKey(), file.getValue());
        }
    }

    private void place(Path dir, String path, Sha256 hash) throws IOException {
        Path target = ResourcePath.parse(path, Integer.MAX_VALUE, Integer.MAX_VALUE).resolveIn(dir);
        SafeFiles.ensureDirectories(dir, target.getParent(), ownership);
        store.materialize(hash, target);
    }

    /** Records content this project uploaded, so its later requests may name it by hash. */
    public void recordUpload(ProjectKey project, Sha256 hash) throws IOException {
        Instant now = clock.instant();
        states.update(project, current -> (current == null ? ProjectState.empty(now) : current).withUpload(hash, now));
    }

    /** Which of {@code hashes} this project cannot name yet: it never sent them, or they are gone. */
    public List<Sha256> missing(ProjectKey project, List<Sha256> hashes) {
        ProjectState state = states.get(project).orElse(null);
        return hashes.stream().filter(h -> state == null || !state.knows(h) || !store.contains(h)).distinct().toList();
    }

    /** Removes every generated file, keeping only the resources: after a killed compile the rest may be corrupt. */
    public void wipeGenerated(Path compileDir, Set<String> resourcePaths) throws IOException {
        removeUnlisted(compileDir, resourcePaths, null);
    }

    /** Forgets the project's state (its directory is deleted by the caller). */
    public void forget(ProjectKey project) throws IOException {
        states.delete(project);
    }

    private static void checkIncremental(ProjectState state, String syncState) throws SyncConflictException {
        if (state == null || state.syncState() == null) {
            throw new SyncConflictException("no full sync of this project is known: send a full sync");
        }
        if (!Objects.equals(state.syncState(), syncState)) {
            throw new SyncConflictException("the project was last synced with another syncState: send a full sync");
        }
    }

    private Sha256 known(ProjectState state, Resource.Stored stored) throws SyncConflictException {
        if (!state.knows(stored.hash())) {
            throw new SyncConflictException("resource '" + stored.path() + "' names content this project has not sent ("
                    + stored.hash() + "): upload it with PUT /project/<id>/files/<hash>, then retry");
        }
        return stored.hash();
    }

    /** Creates the compile directory (and its parents) if needed, owned by the sandbox user and private to it. */
    private void prepare(Path compileDir) throws IOException {
        if (!SafeFiles.isRealDirectory(compileDir)) {
            SafeFiles.deleteRecursively(compileDir);
            Files.createDirectories(compileDir.getParent());
            Files.createDirectory(compileDir);
            Files.setPosixFilePermissions(compileDir, PosixFilePermissions.fromString("rwx------"));
            ownership.apply(compileDir);
        }
    }

    /**
     * Deletes every entry that is not a listed path (or kept between runs by {@code keep}, when
     * given); links and other non-regular entries always go, and so do directories left empty.
     * Returns the attributes of the listed files that remain.
     */
    private static Map<String, BasicFileAttributes> removeUnlisted(Path root, Set<String> listed, KeepBetweenRuns keep)
            throws IOException {
        Map<String, BasicFileAttributes> remaining = new HashMap<>();
        if (!SafeFiles.isRealDirectory(root)) {
            return remaining;
        }
        Predicate<String> exists = other -> SafeFiles.isRealFile(root.resolve(other));
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String relative = root.relativize(file).toString();
                if (attrs.isRegularFile() && listed.contains(relative)) {
                    remaining.put(relative, attrs);
                } else if (!attrs.isRegularFile() || keep == null
                        || !keep.keeps(new ResourcePath(List.of(relative.split("/"))), exists)) {
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
        return remaining;
    }
}
