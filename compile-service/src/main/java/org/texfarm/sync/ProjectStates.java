package org.texfarm.sync;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.texfarm.ProjectKey;

/**
 * Project states, one JSON file each under {@code <root>/<p|u>/...}, written atomically, with the
 * recently used ones cached in memory. Kept outside the compile directories, where the sandbox
 * could change them.
 */
public final class ProjectStates {
    private static final String SUFFIX = ".json";

    private final Path root;
    private final Cache<ProjectKey, Optional<ProjectState>> cache = Caffeine.newBuilder().maximumSize(10_000).build();

    public ProjectStates(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    public Optional<ProjectState> get(ProjectKey project) {
        return cache.get(project, this::read);
    }

    /**
     * Replaces the project's state with {@code change} applied to it (to null when it has none),
     * one change at a time per project, and writes it to disk before returning it.
     */
    public ProjectState update(ProjectKey project, UnaryOperator<ProjectState> change) throws IOException {
        return apply(project, change, true).orElseThrow();
    }

    /** {@link #update} for a project that has a state; does nothing for one that has none (deleted meanwhile). */
    public void updateExisting(ProjectKey project, UnaryOperator<ProjectState> change) throws IOException {
        apply(project, change, false);
    }

    private Optional<ProjectState> apply(ProjectKey project, UnaryOperator<ProjectState> change, boolean create)
            throws IOException {
        try {
            return cache.asMap().compute(project, (key, current) -> {
                ProjectState previous = (current == null ? read(key) : current).orElse(null);
                if (previous == null && !create) {
                    return Optional.empty();
                }
                ProjectState next = change.apply(previous);
                write(key, previous, next);
                return Optional.of(next);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Writes a state; when only its last use changed since {@code previous}, as on every compile
     * of unchanged input, only the file's time is set: it holds the last use.
     */
    private void write(ProjectKey project, ProjectState previous, ProjectState state) {
        Path file = file(project);
        try {
            if (previous == null || !previous.sameContent(state) || !SafeFiles.isRealFile(file)) {
                Files.createDirectories(file.getParent());
                SafeFiles.writeAtomically(file, new ByteArrayInputStream(toJson(state).encode().getBytes(StandardCharsets.UTF_8)));
            }
            Files.setLastModifiedTime(file, FileTime.from(state.lastUsed()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(ProjectKey project) throws IOException {
        try {
            cache.asMap().compute(project, (key, current) -> {
                try {
                    Files.deleteIfExists(file(key));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return Optional.empty();
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Every project that has a state, with it. */
    public Map<ProjectKey, ProjectState> all() throws IOException {
        Map<ProjectKey, ProjectState> states = new HashMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root, 3)) {
            walk.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && SafeFiles.isRealFile(p)).forEach(files::add);
        }
        for (Path file : files) {
            keyOf(file).ifPresent(key -> get(key).ifPresent(state -> states.put(key, state)));
        }
        return states;
    }

    private Optional<ProjectState> read(ProjectKey project) {
        Path file = file(project);
        if (!SafeFiles.isRealFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(fromJson(new JsonObject(Files.readString(file)), Files.getLastModifiedTime(file).toInstant()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // A state that cannot be read is as good as none: the next full sync writes a new one.
            return Optional.empty();
        }
    }

    private Path file(ProjectKey project) {
        String relative = project.relativeDirectory();
        return root.resolve(relative + SUFFIX);
    }

    private Optional<ProjectKey> keyOf(Path file) {
        String relative = root.relativize(file).toString();
        String[] parts = relative.substring(0, relative.length() - SUFFIX.length()).split("/");
        try {
            if (parts.length == 2 && parts[0].equals("p")) {
                return Optional.of(ProjectKey.of(parts[1], null));
            }
            if (parts.length == 3 && parts[0].equals("u")) {
                return Optional.of(ProjectKey.of(parts[1], parts[2]));
            }
        } catch (RuntimeException e) {
            // Not a state file of ours.
        }
        return Optional.empty();
    }

    static JsonObject toJson(ProjectState state) {
        JsonObject files = new JsonObject();
        state.files().forEach((path, hash) -> files.put(path, hash.hex()));
        JsonObject uploads = new JsonObject();
        state.uploads().forEach((hash, when) -> uploads.put(hash.hex(), when.toEpochMilli()));
        JsonObject json = new JsonObject()
                .put("syncState", state.syncState())
                .put("files", files)
                .put("uploads", uploads);
        if (state.cleared()) {
            json.put("cleared", true);
        }
        if (state.preamble() != null) {
            JsonObject inputs = new JsonObject();
            state.preamble().inputs().forEach((path, hash) -> inputs.put(path, hash.hex()));
            json.put("preamble", new JsonObject()
                    .put("key", state.preamble().key().hex())
                    .put("format", state.preamble().format().hex())
                    .put("inputs", inputs));
        }
        if (!state.refusedPreambles().isEmpty()) {
            json.put("refusedPreambles", new JsonArray(state.refusedPreambles().stream().map(Sha256::hex).toList()));
        }
        return json;
    }

    static ProjectState fromJson(JsonObject json, Instant lastUsed) {
        Map<String, Sha256> files = new HashMap<>();
        json.getJsonObject("files").forEach(e -> files.put(e.getKey(), new Sha256((String) e.getValue())));
        Map<Sha256, Instant> uploads = new HashMap<>();
        json.getJsonObject("uploads").forEach(e -> uploads.put(new Sha256(e.getKey()),
                Instant.ofEpochMilli(((Number) e.getValue()).longValue())));
        return new ProjectState(json.getString("syncState"), files, uploads, lastUsed,
                preambleFromJson(json.getJsonObject("preamble")), refusedFromJson(json.getJsonArray("refusedPreambles")),
                json.getBoolean("cleared", false));
    }

    private static PreambleFormat preambleFromJson(JsonObject json) {
        if (json == null) {
            return null;
        }
        Map<String, Sha256> inputs = new HashMap<>();
        json.getJsonObject("inputs").forEach(e -> inputs.put(e.getKey(), new Sha256((String) e.getValue())));
        return new PreambleFormat(new Sha256(json.getString("key")), new Sha256(json.getString("format")), inputs);
    }

    private static List<Sha256> refusedFromJson(JsonArray json) {
        return json == null ? List.of() : json.stream().map(hex -> new Sha256((String) hex)).toList();
    }
}
