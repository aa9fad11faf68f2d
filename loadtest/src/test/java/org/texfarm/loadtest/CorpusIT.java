package org.texfarm.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.texfarm.RunningService;
import org.texfarm.loadtest.corpus.Corpus;
import org.texfarm.loadtest.corpus.Document;
import org.texfarm.loadtest.corpus.FileServer;
import org.texfarm.loadtest.target.ServiceTarget;
import org.texfarm.loadtest.workload.Project;

/** Every built-in document compiles on the real service and image, and still does after an editor's edit. */
class CorpusIT {
    private static RunningService service;
    private static FileServer files;
    private static ServiceTarget requests;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("URL_ALLOWED_HOSTS", "127.0.0.1", "PRECOMPILE_PREAMBLES", "false"));
        files = FileServer.start("127.0.0.1");
        requests = new ServiceTarget(new ServiceTarget.Settings(service.uri("/"), null, Duration.ofMinutes(3), 240, null), files);
    }

    @AfterAll
    static void stop() throws Exception {
        requests.close();
        files.close();
        service.close();
    }

    @ParameterizedTest
    @CsvSource({
        "hello, 'Hello, world.', 1",
        "article, typical paper, 10",
        "tikz, flow chart, 2",
        "thesis, Contents, 60"})
    void compilesToTheDocumentItIsAndAgainAfterAnEdit(String name, String text, int minimumPages) throws Exception {
        Document document = Corpus.builtIn(name);
        Project project = new Project("corpus-" + name, document, 1);

        JsonObject first = service.compile(project.id(), new JsonObject(new String(requests.requestBody(project)))).json();
        project.editAWord();
        JsonObject edited = service.compile(project.id(), new JsonObject(new String(requests.requestBody(project)))).json();

        assertThat(first.getJsonObject("compile").getString("status")).as(first.encodePrettily()).isEqualTo("success");
        assertThat(first.getJsonObject("compile").getJsonArray("resourceErrors", new io.vertx.core.json.JsonArray())).isEmpty();
        byte[] pdf = service.download(RunningService.outputUrl(first, "output.pdf"));
        assertThat(RunningService.pdfText(pdf).replaceAll("\\s+", " ")).contains(text);
        try (PDDocument opened = Loader.loadPDF(pdf)) {
            assertThat(opened.getNumberOfPages()).isGreaterThanOrEqualTo(minimumPages);
        }
        assertThat(edited.getJsonObject("compile").getString("status")).isEqualTo("success");
        assertThat(edited.getJsonObject("compile").getJsonObject("texfarm").getBoolean("resultCacheHit"))
                .as("the edit changed the input").isFalse();
    }
}
