package org.texfarm.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.texfarm.InvalidRequestException;

/**
 * Properties of resource paths over generated client input (a fixed seed, so a failure repeats):
 * every path is refused with a message, or names an entry inside the project.
 */
class ResourcePathPropertiesTest {
    private static final Path ROOT = Path.of("/data/compiles/p/project");
    private static final long SEED = 20261126L;
    private static final List<String> HOSTILE_COMPONENTS = List.of("..", ".", "", "~", "-evil", "project-evil", "\\",
            "a\\b", "\u0000", "\u202e", "\ud800", "%2e%2e", "con", "x".repeat(300), " ", "\n", "..\u0000", "./");

    static Stream<String> generatedPaths() {
        Random random = new Random(SEED);
        return IntStream.range(0, 3000).mapToObj(i -> {
            StringBuilder path = new StringBuilder(switch (random.nextInt(5)) {
                case 0 -> "/";
                case 1 -> "../";
                case 2 -> "./";
                default -> "";
            });
            int components = 1 + random.nextInt(random.nextInt(10) == 0 ? 40 : 6);
            for (int c = 0; c < components; c++) {
                if (c > 0) {
                    path.append(random.nextInt(20) == 0 ? "//" : "/");
                }
                path.append(random.nextBoolean() ? HOSTILE_COMPONENTS.get(random.nextInt(HOSTILE_COMPONENTS.size()))
                        : randomText(random));
            }
            return path.toString();
        });
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(12);
        for (int i = 0; i < length; i++) {
            text.append(switch (random.nextInt(4)) {
                case 0 -> (char) ('a' + random.nextInt(26));
                case 1 -> (char) random.nextInt(0x80);
                case 2 -> (char) random.nextInt(0x10000);
                default -> ".-_/".charAt(random.nextInt(4));
            });
        }
        return text.toString();
    }

    @ParameterizedTest
    @MethodSource("generatedPaths")
    void isRefusedWithAMessageOrNamesAnEntryInsideTheProject(String text) {
        ResourcePath path;
        try {
            path = ResourcePath.parse(text, 1024, 32);
        } catch (InvalidRequestException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        Path resolved = path.resolveIn(ROOT);
        assertThat(resolved.normalize()).isEqualTo(resolved);
        assertThat(resolved.startsWith(ROOT) && !resolved.equals(ROOT)).as(resolved.toString()).isTrue();
        assertThat(path.components()).noneMatch(c -> c.isEmpty() || c.equals(".") || c.equals("..")
                || c.contains("\\") || c.contains("\u0000"));
        assertThat(path.components().size()).isLessThanOrEqualTo(32);
    }
}
