package org.texfarm.sync;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
    /** Resource files whose placement is remembered, over all projects (about 150 bytes each). */
    private static final long PLACED_FILES_KEPT = 500_000;

    private final ContentStore store;
    private final UrlCache urls;
    private final ProjectStates states;
    private final KeepBetweenRuns keep;
    private final Ownership ownership;
    private final Clock clock;
    private final Duration uploadLifetime;
    private final Cache<ProjectKey, Map<String, PlacedFile>> placed;
    private final Counter filesWritten;
    private final Counter filesUnchanged;

    /**
     * What a sync did.
     *
     * @param files            every resource of the project now, with its content hash
     * @param errors           downloads that failed
     * @param filesWritten     files written into the compile directory
     * @param createdDirectory whether the sync created the compile directory: no earlier compile's
     *                         files are in it (CLSI's {@code isInitialCompile})
     */
    public record Outcome(Map<String, Sha256> files, List<ResourceError> errors, int filesWritten,
                          boolean createdDirectory) {
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
        this.placed = Caffeine.newBuilder().maximumWeight(PLACED_FILES_KEPT)
                .weigher((ProjectKey project, Map<String, PlacedFile> files) -> 1 + files.size()).build();
        this.filesWritten = Counter.builder("sync.files.written").description("resource files written into compile directories").register(registry);
        this.filesUnchanged = Counter.builder("sync.files.unchanged").description("resource files already in place").register(registry);
    }

    /**
     * Syncs the request's resources into {@code compileDir}, in order: a path listed twice holds
     * the last content obtained. Every resource file that is missing, or that an earlier compile
     * touched, is copied afresh from the store.
     *
     * @throws SyncConflictException   when an incremental sync does not match the project's state, or
     *                                 a resource names content this project has not sent
     * @throws InvalidRequestException when {@code root} is a directory of the project's resources
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
        String rootPrefix = root + "/";
        if (files.keySet().stream().anyMatch(path -> path.startsWith(rootPrefix))
                || resources.stream().anyMatch(resource -> resource.path().toString().startsWith(rootPrefix))) {
            throw new InvalidRequestException("rootResourcePath '" + root + "' is a directory of the project, not a file");
        }
        Set<String> obtained = new HashSet<>();
        List<ResourceError> errors = new ArrayList<>();
        for (Resource resource : resources) {
            String path = resource.path().toString();
            switch (resource) {
                case Resource.Inline inline -> files.put(path, store.put(inline.bytes(), inline.hash()));
                case Resource.Stored stored -> files.put(path, known(known, stored));
                case Resource.Download download -> {
                    try {
                        files.put(path, urls.get(download.url(), download.modified(), download.fallbackUrl(), known.cleared()));
                    } catch (DownloadFailedException e) {
                        if (!obtained.contains(path)) {
                            files.remove(path);
                        }
                        errors.add(new ResourceError(path, download.url().toString(), e.getMessage()));
                        continue;
                    }
                }
            }
            obtained.add(path);
        }
        for (var file : files.entrySet()) {
            if (!store.contains(file.getValue())) {
                throw new SyncConflictException("the content of '" + file.getKey() + "' is no longer stored: send a full sync");
            }
        }

        boolean created = prepare(compileDir);
        // One walk both removes stale entries and tells which resources are in place already.
        Map<String, PlacedFile.Identity> present = removeUnlisted(compileDir, files.keySet(), keep);
        Map<String, PlacedFile> before = created ? Map.of() : placed.asMap().getOrDefault(project, Map.of());
        Map<String, PlacedFile> after = new HashMap<>();
        int written = 0;
        for (var file : files.entrySet()) {
            String path = file.getKey();
            PlacedFile earlier = before.get(path);
            PlacedFile.Identity identity = present.get(path);
            if (earlier != null && identity != null && earlier.isIntact(file.getValue(), identity)) {
                after.put(path, earlier);
                filesUnchanged.increment();
                continue;
            }
            after.put(path, place(compileDir, path, file.getValue()));
            written++;
            filesWritten.increment();
        }
        placed.put(project, after);
        String newSyncState = type == SyncType.INCREMENTAL ? known.syncState() : syncState;
        // Applied to the state as it is now: uploads that arrived during this sync stay recorded.
        states.update(project, current -> (current == null ? ProjectState.empty(now) : current)
                .synced(newSyncState, files, now.minus(uploadLifetime), now));
        return new Outcome(files, errors, written, created);
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

    /** Fills a new directory, as {@link #fill} does, with one file from outside the store: an upload. */
    public void fillWithFile(Path dir, String name, Path source) throws IOException {
        prepare(dir);
        Path target = ResourcePath.parse(name, Integer.MAX_VALUE, Integer.MAX_VALUE).resolveIn(dir);
        Files.copy(source, target, LinkOption.NOFOLLOW_LINKS);
        ownership.apply(target);
    }

    private PlacedFile place(Path dir, String path, Sha256 hash) throws IOException {
        Path target = ResourcePath.parse(path, Integer.MAX_VALUE, Integer.MAX_VALUE).resolveIn(dir);
        SafeFiles.ensureDirectories(dir, target.getParent(), ownership);
        return store.copy(hash, target, ownership);
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
        placed.invalidate(project);
    }

    /**
     * Forgets the project's state as its client cleared it: its next sync downloads its URL
     * resources again, as from CLSI's per-project cache, which a clear empties.
     */
    public void clear(ProjectKey project) throws IOException {
        placed.invalidate(project);
        states.update(project, current -> ProjectState.cleared(clock.instant()));
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

    /**
     * Creates the compile directory (and its parents) if needed, owned by the sandbox user and
     * private to it; returns whether it did.
     */
    private boolean prepare(Path compileDir) throws IOException {
        if (SafeFiles.isRealDirectory(compileDir)) {
            return false;
        }
        SafeFiles.deleteRecursively(compileDir);
        Files.createDirectories(compileDir.getParent());
        Files.createDirectory(compileDir);
        Files.setPosixFilePermissions(compileDir, PosixFilePermissions.fromString("rwx------"));
        ownership.apply(compileDir);
        return true;
    }

    /**
     * Deletes every entry that is not a listed path (or kept between runs by {@code keep}, when
     * given); links and other non-regular entries always go, and so do directories left empty.
     * Returns the identity of the listed files that remain. Each entry is read once, with its
     * change time (a resource's identity), so checking 500 resources costs 500 reads.
     */
    private static Map<String, PlacedFile.Identity> removeUnlisted(Path root, Set<String> listed, KeepBetweenRuns keep)
            throws IOException {
        Map<String, PlacedFile.Identity> remaining = new HashMap<>();
        if (SafeFiles.isRealDirectory(root)) {
            sweep(root, root, listed, keep, other -> SafeFiles.isRealFile(root.resolve(other)), remaining);
        }
        return remaining;
    }

    private static void sweep(Path root, Path dir, Set<String> listed, KeepBetweenRuns keep, Predicate<String> exists,
                              Map<String, PlacedFile.Identity> remaining) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Map<String, Object> attributes = Files.readAttributes(entry,
                        PlacedFile.Identity.ATTRIBUTES + ",isDirectory,isRegularFile", LinkOption.NOFOLLOW_LINKS);
                String relative = root.relativize(entry).toString();
                boolean regular = (Boolean) attributes.get("isRegularFile");
                if ((Boolean) attributes.get("isDirectory")) {
                    sweep(root, entry, listed, keep, exists, remaining);
                    try (DirectoryStream<Path> left = Files.newDirectoryStream(entry)) {
                        if (!left.iterator().hasNext()) {
                            Files.delete(entry);
                        }
                    }
                } else if (regular && listed.contains(relative)) {
                    remaining.put(relative, PlacedFile.Identity.of(attributes));
                } else if (!regular || keep == null || !keep.keeps(new ResourcePath(List.of(relative.split("/"))), exists)) {
                    Files.delete(entry);
                }
            }
        }
    }
}
