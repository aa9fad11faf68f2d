package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an editor gets beyond a PDF, against the real engine and image: log annotations of broken
 * documents, a build as one zip, word counts and chktex checks.
 */
class EditorFeaturesIT {
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("PRECOMPILE_PREAMBLES", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    /** Broken documents compiled for real: the answer carries what their logs say, by file and line. */
    @Nested
    class LogAnnotations {
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

        @Test
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

        @Test
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

        @Test
        void aCleanDocumentHasNoErrorsAndAnUnchangedRecompileTheSameAnnotations() {
            Projects document = Projects.document("See \\ref{nowhere}.");
            List<JsonObject> first = annotations("clean", document);
            List<JsonObject> again = annotations("clean", document);

            assertThat(first).noneSatisfy(a -> assertThat(a.getString("level")).isEqualTo("error"));
            assertThat(first).anySatisfy(a -> assertThat(a.getString("message")).contains("Reference `nowhere'"));
            assertThat(again).isEqualTo(first);
        }
    }

    /** {@code output.zip}: a build's files in one download. */
    @Nested
    class OutputArchive {
        @Test
        void holdsEveryFileOfTheBuildAsItIs() throws IOException {
            JsonObject compiled = service.compile("zipped", Projects.document("Zipped \\section{Part}").json()).json();
            String buildId = compiled.getJsonObject("compile").getString("buildId");

            RunningService.Response zip = service.send(HttpRequest.newBuilder(
                    service.uri("/project/zipped/build/" + buildId + "/output/output.zip")).GET());

            assertThat(zip.status()).isEqualTo(200);
            assertThat(zip.raw().headers().firstValue("Content-Type")).hasValue("application/zip");
            Map<String, byte[]> entries = unzip(zip.body());
            assertThat(entries).containsKeys("output.pdf", "output.log", "output.aux", "output.stdout");
            assertThat(entries.get("output.pdf")).isEqualTo(service.download(RunningService.outputUrl(compiled, "output.pdf")));
            assertThat(RunningService.pdfText(entries.get("output.pdf"))).contains("Zipped");
            assertThat(entries).hasSameSizeAs(compiled.getJsonObject("compile").getJsonArray("outputFiles"));
        }

        @Test
        void answers404ForABuildThatIsNotKeptAnd400ForAMalformedId() {
            service.compile("unzipped", Projects.document("Text.").json());

            assertThat(service.send(HttpRequest.newBuilder(
                    service.uri("/project/unzipped/build/18c2f3a4b5c-0123456789abcdef/output/output.zip")).GET()).status())
                    .isEqualTo(404);
            assertThat(service.send(HttpRequest.newBuilder(
                    service.uri("/project/unzipped/build/..%2F..%2Fetc/output/output.zip")).GET()).status())
                    .isEqualTo(400);
        }

        private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
            Map<String, byte[]> entries = new TreeMap<>();
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    entries.put(entry.getName(), in.readAllBytes());
                }
            }
            return entries;
        }
    }

    /** Word count: texcount in the sandbox over the project's files, answered as CLSI does. */
    @Nested
    class WordCount {
        private static final String MAIN = """
                \\documentclass{article}
                \\begin{document}
                \\section{Introduction}
                One two three four five.
                \\begin{figure}\\caption{A caption here}\\end{figure}
                Inline $x+y$ and display \\[ a = b \\]
                \\input{more}
                \\end{document}
                """;




        private static RunningService.Response wordCount(String project, String query) {
            return service.send(HttpRequest.newBuilder(service.uri("/project/" + project + "/wordcount" + query)).GET());
        }

        @Test
        void countsTheWordsOfAFileAndTheFilesItIncludes() {
            service.compile("counted", Projects.project().file("main.tex", MAIN).file("more.tex", "Six seven eight.\n").json());

            RunningService.Response response = wordCount("counted", "?file=main.tex");

            assertThat(response.status()).isEqualTo(200);
            JsonObject count = response.json().getJsonObject("texcount");
            assertThat(count.getInteger("textWords")).as(count.encodePrettily()).isEqualTo(11);
            assertThat(count.getInteger("headWords")).isEqualTo(1);
            assertThat(count.getInteger("outside")).isEqualTo(3);
            assertThat(count.getInteger("headers")).isEqualTo(1);
            assertThat(count.getInteger("elements")).isEqualTo(1);
            assertThat(count.getInteger("mathInline")).isEqualTo(1);
            assertThat(count.getInteger("mathDisplay")).isEqualTo(1);
            assertThat(count.getInteger("errors")).isZero();
            assertThat(count.getString("encode")).isNotEmpty();
            assertThat(wordCount("counted", "?file=more.tex").json().getJsonObject("texcount").getInteger("textWords"))
                    .isEqualTo(3);
        }

        @Test
        void answers404BeforeTheFirstCompileAnd400ForABadPath() {
            assertThat(wordCount("never-compiled", "?file=main.tex").status()).isEqualTo(404);
            service.compile("counted-once", Projects.document("Words.").json());
            assertThat(wordCount("counted-once", "?file=absent.tex").status()).isEqualTo(404);
            assertThat(wordCount("counted-once", "?file=../../etc/passwd").status()).isEqualTo(400);
            assertThat(wordCount("counted-once", "?file=main.tex&image=other:latest").status()).isEqualTo(400);
            assertThat(service.compile("counted-once", Projects.document("Words again.").json()).compileStatus())
                    .as("the project compiles after a word count").isEqualTo("success");
        }
    }

    /** The {@code check} option: chktex in the sandbox before TeX, in CLSI's three modes. */
    @Nested
    class Chktex {
        private static final String SOLO_BRACE = "A sentence with a stray brace }";




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
}
