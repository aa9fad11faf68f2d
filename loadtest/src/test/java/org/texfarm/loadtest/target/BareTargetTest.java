package org.texfarm.loadtest.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.texfarm.compile.CheckMode;
import org.texfarm.compile.CompileOptions;
import org.texfarm.compile.Engine;
import org.texfarm.compile.LatexmkCommand;
import org.texfarm.config.ServiceConfig;
import org.texfarm.config.ShellEscape;
import org.texfarm.sync.ResourcePath;

class BareTargetTest {
    @ParameterizedTest
    @CsvSource({"pdflatex, RESTRICTED", "latex, OFF", "xelatex, FULL", "lualatex, RESTRICTED"})
    void runsTheCompileServicesOwnLatexmkCommandAtTheSameShellEscapeLevel(String compiler, ShellEscapeLevel level) {
        ShellEscape shellEscape = ShellEscape.valueOf(level.name());
        CompileOptions options = new CompileOptions(
                ServiceConfig.fromEnvironment(Map.of("DATA_DIR", "/tmp/unused")).groups().defaultGroup(),
                Engine.fromWireName(compiler), Duration.ofSeconds(60), false, false, List.of(), "image", null, false,
                CheckMode.NONE, CompileOptions.PdfCaching.OFF);

        assertThat(BareTarget.latexmkCommand(compiler, "main.tex", "/slot/work", level))
                .isEqualTo(LatexmkCommand.build(options, ResourcePath.parse("main.tex", 100, 10), shellEscape, false));
    }

    @Test
    void readsTheServicesLevelsAndSetsTexmfCnfAsTheServiceDoes() {
        for (ShellEscape service : ShellEscape.values()) {
            ShellEscapeLevel bare = ShellEscapeLevel.parse(service.label());
            assertThat(bare.name()).isEqualTo(service.name());
            assertThat(bare.texmfValue).isEqualTo(service.texmfValue());
        }
        assertThat(ShellEscapeLevel.parse("true")).isEqualTo(ShellEscapeLevel.FULL);
    }
}
