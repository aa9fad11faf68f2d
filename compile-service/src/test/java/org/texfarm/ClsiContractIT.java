package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays compile requests shaped exactly as Overleaf's web sends them to CLSI, fields this
 * service ignores included, and checks every response field the web reads.
 */
class ClsiContractIT {
    private static final String PROJECT = "65a1b2c3d4e5f60718293a4b";
    private static final String USER = "5f0e1d2c3b4a59687766554a";

    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("PUBLIC_BASE_URL", "http://clsi.internal:3013"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    /** As web's ClsiManager builds it: docs inline, every option it knows, some this service ignores. */
    private static JsonObject overleafRequest(String buildId, boolean draft) {
        JsonObject options = new JsonObject()
                .put("buildId", buildId)
                .put("editorId", "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d")
                .put("compiler", "pdflatex")
                .put("timeout", 240)
                .put("imageName", RunningService.IMAGE)
                .put("draft", draft)
                .put("stopOnFirstError", false)
                .put("check", "silent")
                .put("syncType", "full")
                .put("syncState", "a1b2c3")
                .put("compileGroup", "standard")
                .put("compileFromClsiCache", false)
                .put("populateClsiCache", false)
                .put("enablePdfCaching", false)
                .put("pdfCachingMinChunkSize", 1024)
                .put("flags", new JsonArray().add("-file-line-error"))
                .put("metricsMethod", "standard")
                .put("metricsPath", "clsi-perf");
        JsonArray resources = new JsonArray()
                .add(new JsonObject().put("path", "main.tex").put("content", """
                        \\documentclass{article}
                        \\usepackage{graphicx}
                        \\makeatletter
                        \\begin{document}
                        \\section{Introduction}
                        Contract text. \\ifGin@draft DRAFT-ON\\else DRAFT-OFF\\fi
                        \\input{sections/more}
                        \\end{document}
                        """))
                .add(new JsonObject().put("path", "sections/more.tex").put("content", "More from a section."));
        return new JsonObject().put("compile", new JsonObject()
                .put("options", options)
                .put("rootResourcePath", "main.tex")
                .put("resources", resources));
    }

    @Test
    void answersAnOverleafCompileRequestWithEveryFieldTheWebReads() {
        String buildId = "18c2f3a4b5c-0123456789abcdef";

        RunningService.Response response = service.compile(
                "/project/" + PROJECT + "/user/" + USER + "/compile?compileGroup=standard&compileBackendClass=c2d",
                overleafRequest(buildId, false));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonObject compile = response.compile();
        assertThat(compile.getString("status")).isEqualTo("success");
        assertThat(compile.getString("buildId")).isEqualTo(buildId);
        assertThat(compile.containsKey("error")).isFalse();
        JsonArray files = compile.getJsonArray("outputFiles");
        assertThat(files.stream().map(f -> ((JsonObject) f).getString("path")))
                .contains("output.pdf", "output.log", "output.synctex.gz")
                .noneMatch(path -> path.startsWith(".") || path.equals("main.tex") || path.startsWith("sections/"));
        for (Object entry : files) {
            JsonObject file = (JsonObject) entry;
            assertThat(file.fieldNames()).contains("url", "path", "type", "build", "size");
            assertThat(file.getString("build")).isEqualTo(buildId);
            assertThat(file.getString("url")).isEqualTo("http://clsi.internal:3013/project/" + PROJECT + "/user/" + USER
                    + "/build/" + buildId + "/output/" + file.getString("path"));
        }
        assertThat(files.stream().map(f -> (JsonObject) f).filter(f -> f.getString("path").equals("output.pdf")))
                .singleElement().satisfies(pdf -> assertThat(pdf.getString("type")).isEqualTo("pdf"));
        // Exactly CLSI's keys (its acceptance suite compares the sets); ours are in "texfarm".
        long runs = compile.getJsonObject("stats").getLong("latex-runs");
        assertThat(compile.getJsonObject("stats").fieldNames()).containsExactlyInAnyOrder("isInitialCompile",
                "latexmk-errors", "latex-runs", "latex-runs-with-errors", "latex-runs-" + runs,
                "latex-runs-with-errors-" + runs, "pdf-size");
        assertThat(compile.getJsonObject("timings").fieldNames()).containsExactlyInAnyOrder("sync", "compile", "output", "compileE2E");
        assertThat(compile.getJsonObject("texfarm").fieldNames())
                .containsExactlyInAnyOrder("timings", "resultCacheHit", "precompiledPreamble", "pdfLinearization");
        assertThat(files.stream().map(f -> ((JsonObject) f).getString("path")).toList()).isSorted();
        assertThat(localPdfText(response)).contains("Introduction", "Contract text.", "DRAFT-OFF", "More from a section.");
    }

    @Test
    void compilesInDraftModeWhenAsked() {
        RunningService.Response response = service.compile("/project/" + PROJECT + "/compile",
                overleafRequest("18c2f3a4b5d-0123456789abcdef", true));

        assertThat(response.compileStatus()).isEqualTo("success");
        assertThat(localPdfText(response)).contains("DRAFT-ON");
    }

    /** The PDF of a response, fetched by its path: the public base URL names a host tests cannot reach. */
    private static String localPdfText(RunningService.Response response) {
        String url = RunningService.outputUrl(response.json(), "output.pdf");
        String path = java.net.URI.create(url).getPath();
        return RunningService.pdfText(service.send(java.net.http.HttpRequest.newBuilder(service.uri(path)).GET()).body());
    }

    @Test
    void answersStatusAsCLSIDoes() {
        RunningService.Response status = service.send(java.net.http.HttpRequest.newBuilder(service.uri("/status")).GET());

        assertThat(status.status()).isEqualTo(200);
        assertThat(status.text()).contains("alive");
    }
}
