package org.texfarm.loadtest.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThesisGeneratorTest {

    private static final Pattern INCLUDE = Pattern.compile("\\\\include\\{([^}]+)}");
    private static final Pattern INCLUDEGRAPHICS =
        Pattern.compile("\\\\includegraphics(?:\\[[^]]*])?\\{([^}]+)}");
    private static final Pattern CITE = Pattern.compile("\\\\cite\\{([^}]+)}");
    private static final Pattern BIB_ENTRY = Pattern.compile("@\\w+\\{([^,]+),");
    private static final Pattern LABEL = Pattern.compile("\\\\label\\{([^}]+)}");
    private static final Pattern REF = Pattern.compile("\\\\(?:eq)?ref\\{([^}]+)}");

    private final Map<String, byte[]> files = ThesisGenerator.files();

    @Test
    void filesAreTheSameBytesOnEveryCall() {
        Map<String, byte[]> again = ThesisGenerator.files();

        assertThat(again.keySet()).containsExactlyElementsOf(files.keySet());
        files.forEach((path, bytes) -> assertThat(again.get(path)).as(path).isEqualTo(bytes));
    }

    @Test
    void mainIncludesSixChaptersThatAreInTheFiles() {
        Set<String> included = matches(INCLUDE, text("main.tex"));

        assertThat(included).containsExactlyInAnyOrderElementsOf(
            IntStream.rangeClosed(1, 6).mapToObj(n -> "chapters/chapter" + n).toList());
        included.forEach(chapter -> assertThat(files).containsKey(chapter + ".tex"));
    }

    @Test
    void everyIncludedGraphicIsASmallPngThatDecodes() throws IOException {
        Set<String> graphics = matches(INCLUDEGRAPHICS, allTex());

        assertThat(graphics).hasSize(12);
        for (String path : graphics) {
            byte[] png = files.get(path);
            assertThat(png).as(path).isNotNull().hasSizeLessThan(30_000);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image).as(path).isNotNull();
            assertThat(image.getWidth()).isEqualTo(400);
            assertThat(image.getHeight()).isEqualTo(300);
        }
    }

    @Test
    void everyCitationIsInTheBibliographyAndEveryEntryIsCited() {
        Set<String> cited = matches(CITE, allTex()).stream()
            .flatMap(keys -> Arrays.stream(keys.split(",")))
            .collect(Collectors.toSet());
        Set<String> entries = matches(BIB_ENTRY, text("refs.bib"));

        assertThat(entries).hasSize(30);
        assertThat(cited).isEqualTo(entries);
    }

    @Test
    void everyCrossReferenceHasItsLabel() {
        String tex = allTex();

        assertThat(matches(LABEL, tex)).containsAll(matches(REF, tex));
    }

    /** Calibrated against a real compile: 25,270 words of prose gave 64 pages. */
    @Test
    void chapterProseFillsSixtyToSeventyPages() {
        int words = IntStream.rangeClosed(1, 6)
            .mapToObj(n -> text("chapters/chapter" + n + ".tex"))
            .flatMap(String::lines)
            .filter(ThesisGeneratorTest::isProse)
            .mapToInt(line -> line.split("\\s+").length)
            .sum();

        assertThat(words).isBetween(23_500, 27_500);
    }

    /** Paragraphs of prose are the lines that are neither blank, indented nor a command. */
    private static boolean isProse(String line) {
        return !line.isBlank() && !Character.isWhitespace(line.charAt(0)) && line.charAt(0) != '\\';
    }

    private String allTex() {
        return files.entrySet().stream()
            .filter(file -> file.getKey().endsWith(".tex"))
            .map(file -> new String(file.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("\n"));
    }

    private String text(String path) {
        return new String(files.get(path), StandardCharsets.UTF_8);
    }

    private static Set<String> matches(Pattern pattern, String text) {
        return pattern.matcher(text).results().map(result -> result.group(1)).collect(Collectors.toSet());
    }
}
