package org.texfarm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageDescriptionTest {

    @Test
    void readsTheYearReleaseAndToolVersionsThatTheBuildLabelsAnImageWith() {
        ImageDescription image = ImageDescription.fromLabels("texlive-sandbox:trixie", Map.of(
                "org.texlive-sandbox.texlive-year", "2024",
                "org.texlive-sandbox.debian-release", "trixie",
                "org.texlive-sandbox.tools", "latexmk=4.86 biber=2.20 r-base-core=4.5.0",
                "org.texlive-sandbox.recipe", "0123456789abcdef"));

        assertThat(image.texliveYear()).contains("2024");
        assertThat(image.debianRelease()).contains("trixie");
        assertThat(image.tools()).containsExactly(Map.entry("latexmk", "4.86"), Map.entry("biber", "2.20"),
                Map.entry("r-base-core", "4.5.0"));
    }

    @Test
    void describesAnImageBuiltOtherwiseByItsNameAlone() {
        ImageDescription image = ImageDescription.fromLabels("my-texlive:1", null);

        assertThat(image.name()).isEqualTo("my-texlive:1");
        assertThat(image.texliveYear()).isEmpty();
        assertThat(image.debianRelease()).isEmpty();
        assertThat(image.tools()).isEmpty();
        assertThat(ImageDescription.fromLabels("x", Map.of("org.texlive-sandbox.texlive-year", " ",
                "org.texlive-sandbox.tools", "=1 latexmk= biber=2.20")).tools()).containsExactly(Map.entry("biber", "2.20"));
    }
}
