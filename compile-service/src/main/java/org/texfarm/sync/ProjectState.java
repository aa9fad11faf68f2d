package org.texfarm.sync;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the service knows of one compile directory between requests.
 *
 * @param syncState the client's opaque state of the last full sync, or null
 * @param files     every resource path of the project and the hash of its content
 * @param uploads   hashes this project sent by upload and has not used in a compile yet, with when
 * @param lastUsed  when a request last used the project
 */
public record ProjectState(String syncState, Map<String, Sha256> files, Map<Sha256, Instant> uploads, Instant lastUsed) {

    public ProjectState {
        files = Map.copyOf(files);
        uploads = Map.copyOf(uploads);
    }

    public static ProjectState empty(Instant now) {
        return new ProjectState(null, Map.of(), Map.of(), now);
    }

    /**
     * Whether this project may refer to {@code hash}: only content it sent itself, so no one can
     * read another project's file, or learn that it exists, by guessing its hash.
     */
    public boolean knows(Sha256 hash) {
        return uploads.containsKey(hash) || files.containsValue(hash);
    }

    /** Every hash this state keeps alive in the content store. */
    public Set<Sha256> referencedHashes() {
        Set<Sha256> hashes = new HashSet<>(files.values());
        hashes.addAll(uploads.keySet());
        return hashes;
    }

    public ProjectState withUpload(Sha256 hash, Instant now) {
        Map<Sha256, Instant> more = new java.util.HashMap<>(uploads);
        more.put(hash, now);
        return new ProjectState(syncState, files, more, now);
    }

    /** The state after a sync: the new files; uploads now in use, or older than {@code uploadsSince}, are dropped. */
    public ProjectState synced(String newSyncState, Map<String, Sha256> newFiles, Instant uploadsSince, Instant now) {
        Map<Sha256, Instant> pending = new java.util.HashMap<>();
        uploads.forEach((hash, when) -> {
            if (!newFiles.containsValue(hash) && when.isAfter(uploadsSince)) {
                pending.put(hash, when);
            }
        });
        return new ProjectState(newSyncState, newFiles, pending, now);
    }
}
