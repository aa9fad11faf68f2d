package org.texfarm.loadtest.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.texfarm.compile.CheckMode;
import org.texfarm.compile.CompileOptions;
import org.texfarm.compile.Engine;
import org.texfarm.compile.LatexmkCommand;
import org.texfarm.config.ServiceConfig;
import org.texfarm.sync.ResourcePath;

class BareTargetTest {
    @ParameterizedTest
    @ValueSource(strings = {"pdflatex", "latex", "xelatex", "lualatex"})
    void runsTheCompileServicesOwnLatexmkCommand(String compiler) {
        CompileOptions options = new CompileOptions(
                ServiceConfig.fromEnvironment(Map.of("DATA_DIR", "/tmp/unused")).groups().defaultGroup(),
                Engine.fromWireName(compiler), Duration.ofSeconds(60), false, false, List.of(), "image", null, false,
                CheckMode.NONE);

        assertThat(BareTarget.latexmkCommand(compiler, "main.tex", "/slot/work"))
                .isEqualTo(LatexmkCommand.build(options, ResourcePath.parse("main.tex", 100, 10), false, false));
    }
}
