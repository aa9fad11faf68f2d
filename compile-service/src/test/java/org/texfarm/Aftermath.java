package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * What every attack must leave behind: a service that compiles the next project, and nothing of
 * the attack: its sandbox discarded, or kept for the project reset (only init and the launcher, and
 * /tmp as the warm-up left it but for the font caches).
 */
final class Aftermath {
    private Aftermath() {
    }

    static void assertServesOnWithNothingLeft(RunningService service, SandboxContainers containers, String attacked,
                                              String nextProject) throws Exception {
        RunningService.Response next = service.compile(nextProject, document("Still serving.").json());
        assertThat(next.compileStatus()).as(next.text()).isEqualTo("success");
        assertThat(service.pdfText(next.json())).contains("Still serving.");
        assertThat(containers.awaitDiscardedOrReset(attacked, Duration.ofSeconds(10))).as("containers left behind").isTrue();
        StoredContent.assertEveryBlobIsWhole(service.dataDir());
        try (Stream<Path> scratch = Files.list(service.dataDir().resolve("scratch"))) {
            assertThat(scratch.toList()).as("scratch directories left").isEmpty();
        }
    }
}
