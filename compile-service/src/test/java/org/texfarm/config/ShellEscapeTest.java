package org.texfarm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShellEscapeTest {
    @ParameterizedTest
    @CsvSource({"off, OFF", "false, OFF", "No, OFF", "0, OFF", "restricted, RESTRICTED", " Restricted , RESTRICTED",
            "full, FULL", "true, FULL", "yes, FULL", "on, FULL", "1, FULL"})
    void readsTheThreeLevelsAndTheOldFlagValues(String text, ShellEscape level) {
        assertThat(ShellEscape.parse(text)).isEqualTo(level);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "p", "partial", "maybe"})
    void refusesAnythingElseNamingTheLevels(String text) {
        assertThatThrownBy(() -> ShellEscape.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be off, restricted or full (true means full, false off), not '" + text + "'");
    }

    @Test
    void givesTexLivesSettingAndTheEnginesFlagForEachLevel() {
        assertThat(ShellEscape.OFF.texmfValue()).isEqualTo("f");
        assertThat(ShellEscape.RESTRICTED.texmfValue()).isEqualTo("p");
        assertThat(ShellEscape.FULL.texmfValue()).isEqualTo("t");
        assertThat(ShellEscape.OFF.engineFlag()).isEqualTo("-no-shell-escape");
        assertThat(ShellEscape.RESTRICTED.engineFlag()).isEqualTo("-shell-restricted");
        assertThat(ShellEscape.FULL.engineFlag()).isEqualTo("-shell-escape");
        assertThat(ShellEscape.RESTRICTED.label()).isEqualTo("restricted");
    }

    @Test
    void restrictsToCommandsThatRunNoCodeOfTheDocumentsNoJavaAndNoPython() {
        assertThat(ShellEscape.RESTRICTED_COMMANDS).contains("repstopdf", "makeindex", "bibtex", "kpsewhich", "extractbb")
                .doesNotContain("texosquery-jre8", "latexminted", "memoize-extract.py", "sh", "python3", "pygmentize", "gnuplot");
    }

    @Test
    void namesTheSameCommandsAsTheImagesTexmfCnf() throws IOException {
        String cnf = Files.readString(Path.of("../sandbox-images/texlive/texmf-sandbox.cnf"));
        String line = cnf.lines().filter(l -> l.startsWith("shell_escape_commands")).findFirst().orElseThrow();

        assertThat(List.of(line.substring(line.indexOf('=') + 1).trim().split(",")))
                .containsExactlyElementsOf(ShellEscape.RESTRICTED_COMMANDS);
        assertThat(cnf).contains("shell_escape = p", "openin_any = a", "openout_any = p");
    }
}
