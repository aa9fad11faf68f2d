package org.texfarm.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the service knows of one compile directory between requests.
 *
 * @param syncState the client's opaque state of the last full sync, or null
 * @param files     every resource path of the project and the hash of its content
 * @param uploads   hashes this project sent by upload and has not used in a compile yet, with when
 * @param lastUsed  when a request last used the project
 * @param preamble  the project's precompiled preamble, or null
 * @param refusedPreambles keys of preambles whose format failed, oldest first: never dumped again
 * @param cleared   whether the project was cleared since its last sync: its next sync downloads its
 *                  URL resources again rather than taking them from the shared cache, as CLSI,
 *                  whose cache is per project, does
 */
public record ProjectState(String syncState, Map<String, Sha256> files, Map<Sha256, Instant> uploads, Instant lastUsed,
                           PreambleFormat preamble, List<Sha256> refusedPreambles, boolean cleared) {
    /** Refused preambles remembered per project; an older one may be tried again. */
    static final int REFUSED_KEPT = 16;

    public ProjectState {
        files = Map.copyOf(files);
        uploads = Map.copyOf(uploads);
        refusedPreambles = List.copyOf(refusedPreambles);
    }

    public static ProjectState empty(Instant now) {
        return new ProjectState(null, Map.of(), Map.of(), now, null, List.of(), false);
    }

    /** What is left of a project its client cleared: only that its downloads are to be fetched again. */
    public static ProjectState cleared(Instant now) {
        return new ProjectState(null, Map.of(), Map.of(), now, null, List.of(), true);
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
        if (preamble != null) {
            hashes.add(preamble.format());
        }
        return hashes;
    }

    public ProjectState withUpload(Sha256 hash, Instant now) {
        Map<Sha256, Instant> more = new HashMap<>(uploads);
        more.put(hash, now);
        return new ProjectState(syncState, files, more, now, preamble, refusedPreambles, cleared);
    }

    /** The state after a sync: the new files; uploads now in use, or older than {@code uploadsSince}, are dropped. */
    public ProjectState synced(String newSyncState, Map<String, Sha256> newFiles, Instant uploadsSince, Instant now) {
        Map<Sha256, Instant> pending = new HashMap<>();
        uploads.forEach((hash, when) -> {
            if (!newFiles.containsValue(hash) && when.isAfter(uploadsSince)) {
                pending.put(hash, when);
            }
        });
        return new ProjectState(newSyncState, newFiles, pending, now, preamble, refusedPreambles, false);
    }

    /** Whether the two states differ at most in their last use. */
    public boolean sameContent(ProjectState other) {
        return Objects.equals(syncState, other.syncState) && files.equals(other.files) && uploads.equals(other.uploads)
                && Objects.equals(preamble, other.preamble) && refusedPreambles.equals(other.refusedPreambles)
                && cleared == other.cleared;
    }

    public ProjectState usedAt(Instant now) {
        return new ProjectState(syncState, files, uploads, now, preamble, refusedPreambles, cleared);
    }

    public ProjectState withPreamble(PreambleFormat format) {
        return new ProjectState(syncState, files, uploads, lastUsed, format, refusedPreambles, cleared);
    }

    /** The state once the preamble {@code key} failed: its format dropped, the key remembered. */
    public ProjectState refusingPreamble(Sha256 key) {
        List<Sha256> refused = new ArrayList<>(refusedPreambles);
        refused.remove(key);
        refused.add(key);
        if (refused.size() > REFUSED_KEPT) {
            refused.removeFirst();
        }
        PreambleFormat kept = preamble != null && preamble.key().equals(key) ? null : preamble;
        return new ProjectState(syncState, files, uploads, lastUsed, kept, refused, cleared);
    }
}
