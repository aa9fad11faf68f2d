package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code check} option: chktex in the sandbox before TeX, in CLSI's three modes. */
class ChktexIT {
    private static final String SOLO_BRACE = "A sentence with a stray brace }";

    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("PRECOMPILE_PREAMBLES", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static JsonObject compile(String project, String body, String check) {
        return service.compile(project, Projects.document(body).option("check", check).json()).json();
    }

    private static boolean hasFile(JsonObject response, String path) {
        return response.getJsonObject("compile").getJsonArray("outputFiles").stream()
                .anyMatch(file -> ((JsonObject) file).getString("path").equals(path));
    }

    @Test
    void validateRunsOnlyChktexAndPassesOrFails() {
        JsonObject failed = compile("validate-bad", SOLO_BRACE, "validate");
        JsonObject passed = compile("validate-good", "Clean text.", "validate");

        assertThat(failed.getJsonObject("compile").getString("status")).isEqualTo("validation-fail");
        assertThat(service.outputText(failed, "output.chktex")).contains("Solo `}' found");
        assertThat(hasFile(failed, "output.pdf")).isFalse();
        assertThat(passed.getJsonObject("compile").getString("status")).isEqualTo("validation-pass");
        assertThat(hasFile(passed, "output.pdf")).isFalse();
    }

    @Test
    void errorModeCompilesOnlyWhatChktexFindsNoErrorIn() {
        JsonObject refused = compile("error-bad", SOLO_BRACE, "error");
        JsonObject compiled = compile("error-good", "Clean text.", "error");

        assertThat(refused.getJsonObject("compile").getString("status")).isEqualTo("failure");
        assertThat(refused.getJsonObject("compile").getString("error")).contains("chktex found errors in main.tex");
        assertThat(hasFile(refused, "output.pdf")).isFalse();
        assertThat(compiled.getJsonObject("compile").getString("status")).isEqualTo("success");
        assertThat(service.pdfText(compiled)).contains("Clean text.");
    }

    @Test
    void silentModeCompilesAnywayAndKeepsTheReport() {
        JsonObject compiled = compile("silent-bad", SOLO_BRACE, "silent");

        assertThat(compiled.getJsonObject("compile").getString("status")).isEqualTo("success");
        assertThat(service.pdfText(compiled)).contains("A sentence with a stray brace");
        assertThat(service.outputText(compiled, "output.chktex")).contains("Solo `}' found");
    }
}
