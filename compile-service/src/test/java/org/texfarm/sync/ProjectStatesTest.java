package org.texfarm.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.texfarm.ProjectKey;

class ProjectStatesTest {
    private static final Sha256 A = Sha256.of("a".getBytes());
    private static final Sha256 B = Sha256.of("b".getBytes());
    private static final Sha256 C = Sha256.of("c".getBytes());

    @TempDir
    Path temp;

    @Test
    void keepsStatesOnDiskAcrossRestarts() throws Exception {
        ProjectKey project = ProjectKey.of("p1", null);
        ProjectKey user = ProjectKey.of("p1", "0123456789abcdef01234567");
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        ProjectStates states = new ProjectStates(temp);
        PreambleFormat format = new PreambleFormat(A, C, Map.of("macros.sty", B));
        states.update(project, s -> new ProjectState("state-1", Map.of("main.tex", A), Map.of(B, now), now, format, List.of(B), false));
        states.update(user, s -> ProjectState.empty(now));

        ProjectStates reopened = new ProjectStates(temp);

        ProjectState read = reopened.get(project).orElseThrow();
        assertThat(read.syncState()).isEqualTo("state-1");
        assertThat(read.files()).containsEntry("main.tex", A);
        assertThat(read.uploads()).containsEntry(B, now);
        assertThat(read.lastUsed()).isEqualTo(now);
        assertThat(read.preamble()).isEqualTo(format);
        assertThat(read.refusedPreambles()).containsExactly(B);
        assertThat(read.referencedHashes()).contains(C);
        assertThat(reopened.get(user).orElseThrow().preamble()).isNull();
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

    @Test
    void leavesAProjectWithoutStateAloneWhenUpdatingExistingStates() throws Exception {
        ProjectStates states = new ProjectStates(temp);
        ProjectKey gone = ProjectKey.of("gone", null);

        states.updateExisting(gone, state -> state.withPreamble(new PreambleFormat(A, B, Map.of())));

        assertThat(states.get(gone)).isEmpty();
        assertThat(new ProjectStates(temp).all()).isEmpty();
    }

    @Test
    void refusingAPreambleDropsItsFormatAndRemembersTheNewestKeys() {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        ProjectState state = ProjectState.empty(now).withPreamble(new PreambleFormat(A, C, Map.of()));

        ProjectState refusingOther = state.refusingPreamble(B);
        ProjectState refusingOwn = refusingOther.refusingPreamble(A);

        assertThat(refusingOther.preamble()).isNotNull();
        assertThat(refusingOwn.preamble()).isNull();
        assertThat(refusingOwn.refusedPreambles()).containsExactly(B, A);
        ProjectState many = refusingOwn;
        for (int i = 0; i < ProjectState.REFUSED_KEPT; i++) {
            many = many.refusingPreamble(Sha256.of(new byte[] {(byte) i}));
        }
        assertThat(many.refusedPreambles()).hasSize(ProjectState.REFUSED_KEPT).doesNotContain(B, A);
    }

    @Test
    void aFormatFitsOnlyItsPreambleAndUnchangedInputs() {
        PreambleFormat format = new PreambleFormat(A, C, Map.of("macros.sty", B));

        assertThat(format.fits(A, Map.of("main.tex", C, "macros.sty", B))).isTrue();
        assertThat(format.fits(B, Map.of("main.tex", C, "macros.sty", B))).isFalse();
        assertThat(format.fits(A, Map.of("main.tex", C, "macros.sty", A))).isFalse();
        assertThat(format.fits(A, Map.of("main.tex", C))).isFalse();
    }

    @Test
    void recordsALaterUseOfAnUnchangedStateWithoutRewritingIt() throws Exception {
        ProjectKey project = ProjectKey.of("touched", null);
        Instant then = Instant.parse("2026-11-26T12:00:00Z");
        Instant later = then.plusSeconds(90);
        ProjectStates states = new ProjectStates(temp);
        states.update(project, s -> ProjectState.empty(then).synced("s", Map.of("main.tex", A), then, then));
        Path file = temp.resolve("p/touched.json");
        Object identity = Files.readAttributes(file, BasicFileAttributes.class).fileKey();

        states.update(project, s -> s.synced("s", Map.of("main.tex", A), later, later));

        assertThat(Files.readAttributes(file, BasicFileAttributes.class).fileKey()).isEqualTo(identity);
        assertThat(new ProjectStates(temp).get(project).orElseThrow().lastUsed()).isEqualTo(later);
        states.update(project, s -> s.synced("s", Map.of("main.tex", B), later, later));
        assertThat(Files.readAttributes(file, BasicFileAttributes.class).fileKey()).isNotEqualTo(identity);
        assertThat(new ProjectStates(temp).get(project).orElseThrow().files()).containsEntry("main.tex", B);
    }
}
