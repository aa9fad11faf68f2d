package org.texfarm.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.texfarm.ProjectKey;

class ProjectStatesTest {
    private static final Sha256 A = Sha256.of("a".getBytes());
    private static final Sha256 B = Sha256.of("b".getBytes());

    @TempDir
    Path temp;

    @Test
    void keepsStatesOnDiskAcrossRestarts() throws Exception {
        ProjectKey project = ProjectKey.of("p1", null);
        ProjectKey user = ProjectKey.of("p1", "0123456789abcdef01234567");
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        ProjectStates states = new ProjectStates(temp);
        states.update(project, s -> new ProjectState("state-1", Map.of("main.tex", A), Map.of(B, now), now));
        states.update(user, s -> ProjectState.empty(now));

        ProjectStates reopened = new ProjectStates(temp);

        ProjectState read = reopened.get(project).orElseThrow();
        assertThat(read.syncState()).isEqualTo("state-1");
        assertThat(read.files()).containsEntry("main.tex", A);
        assertThat(read.uploads()).containsEntry(B, now);
        assertThat(read.lastUsed()).isEqualTo(now);
        assertThat(reopened.all()).containsOnlyKeys(project, user);
    }

    @Test
    void treatsAnUnreadableStateAsNone() throws Exception {
        ProjectKey project = ProjectKey.of("broken", null);
        Files.createDirectories(temp.resolve("p"));
        Files.writeString(temp.resolve("p/broken.json"), "{not json");

        assertThat(new ProjectStates(temp).get(project)).isEmpty();
    }

    @Test
    void dropsUploadsOnceUsedOrTooOld() {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        ProjectState state = ProjectState.empty(now).withUpload(A, now.minusSeconds(7200)).withUpload(B, now);

        ProjectState synced = state.synced("s", Map.of("x.tex", B), now.minusSeconds(3600), now);

        assertThat(synced.uploads()).isEmpty();
        assertThat(synced.knows(B)).isTrue();
        assertThat(synced.knows(A)).isFalse();
    }
}
