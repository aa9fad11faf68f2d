package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Broken documents compiled for real: the answer carries what their logs say, by file and line. */
class LogAnnotationsIT {
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("PRECOMPILE_PREAMBLES", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static List<JsonObject> annotations(String project, Projects document) {
        JsonObject compile = service.compile(project, document.json()).compile();
        JsonArray annotations = compile.getJsonArray("annotations");
        return annotations.stream().map(JsonObject.class::cast).toList();
    }

    private static JsonObject first(List<JsonObject> annotations, String level) {
        return annotations.stream().filter(a -> a.getString("level").equals(level)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + level + " in " + annotations));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void placesAnUndefinedControlSequenceInAnIncludedFile(boolean fileLineErrors) {
        Projects document = Projects.project()
                .file("main.tex", "\\documentclass{article}\n\\begin{document}\nIntro.\n\\input{chapters/one}\n\\end{document}\n")
                .file("chapters/one.tex", "First line.\n\nSecond \\undefinedmacro{} line.\n");
        if (fileLineErrors) {
            document.option("flags", new JsonArray().add("-file-line-error"));
        }

        JsonObject error = first(annotations("undefined-" + fileLineErrors, document), "error");

        assertThat(error.getString("file")).isEqualTo("chapters/one.tex");
        assertThat(error.getInteger("line")).isEqualTo(3);
        assertThat(error.getString("message")).contains("Undefined control sequence");
        assertThat(error.getString("excerpt")).contains("\\undefinedmacro");
    }

    @org.junit.jupiter.api.Test
    void reportsAMissingFileAnUndefinedCitationAndAnOverfullBox() {
        List<JsonObject> missing = annotations("missing-file", Projects.document("\\input{nowhere}"));
        List<JsonObject> citation = annotations("citation", Projects.document("As shown by \\cite{knuth84}, it works."));
        List<JsonObject> overfull = annotations("overfull", Projects.document(
                "\\hbox to 2cm{An unbreakable line of text that is far wider than two centimetres}"));

        assertThat(first(missing, "error").getString("message")).contains("File `nowhere.tex' not found");
        assertThat(first(missing, "error").getString("file")).isEqualTo("main.tex");
        assertThat(citation).anySatisfy(warning -> {
            assertThat(warning.getString("level")).isEqualTo("warning");
            assertThat(warning.getString("message")).contains("Citation `knuth84'");
            assertThat(warning.getInteger("line")).isEqualTo(3);
        });
        assertThat(first(overfull, "typesetting").getString("message")).startsWith("Overfull \\hbox");
        assertThat(first(overfull, "typesetting").getString("file")).isEqualTo("main.tex");
    }

    @org.junit.jupiter.api.Test
    void reportsARunawayArgumentAndAnEmergencyStop() {
        // A short (not \\long) macro's argument may not hold a paragraph break.
        List<JsonObject> runaway = annotations("runaway", Projects.document(
                "\\newcommand*{\\shout}[1]{#1}\n\\shout{loud\n\nnever closed}"));
        List<JsonObject> noEnd = annotations("no-end", Projects.project()
                .file("main.tex", "\\documentclass{article}\n\\begin{document}\nNo end.\n"));

        assertThat(first(runaway, "error").getString("message")).startsWith("Runaway argument")
                .contains("Paragraph ended before \\shout was complete");
        assertThat(first(runaway, "error").getInteger("line")).isEqualTo(5);
        assertThat(noEnd).anySatisfy(error -> assertThat(error.getString("message")).contains("Emergency stop"));
    }

    @org.junit.jupiter.api.Test
    void aCleanDocumentHasNoErrorsAndAnUnchangedRecompileTheSameAnnotations() {
        Projects document = Projects.document("See \\ref{nowhere}.");
        List<JsonObject> first = annotations("clean", document);
        List<JsonObject> again = annotations("clean", document);

        assertThat(first).noneSatisfy(a -> assertThat(a.getString("level")).isEqualTo("error"));
        assertThat(first).anySatisfy(a -> assertThat(a.getString("message")).contains("Reference `nowhere'"));
        assertThat(again).isEqualTo(first);
    }
}
