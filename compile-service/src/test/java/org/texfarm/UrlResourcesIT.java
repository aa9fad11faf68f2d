package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Resources by URL from a local HTTP server: downloaded only from allowed hosts. */
class UrlResourcesIT {
    private static Vertx vertx;
    private static HttpServer files;
    private static RunningService service;
    private static final AtomicInteger pngRequests = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        byte[] png = redSquarePng();
        vertx = Vertx.vertx();
        files = vertx.createHttpServer().requestHandler(request -> {
            switch (request.path()) {
                case "/figure.png" -> {
                    pngRequests.incrementAndGet();
                    request.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(png));
                }
                case "/moved.png" -> request.response().setStatusCode(302)
                        .putHeader("Location", "/figure.png").end();
                case "/escape.png" -> request.response().setStatusCode(302)
                        .putHeader("Location", "http://127.0.0.2:" + request.localAddress().port() + "/figure.png").end();
                case "/large.bin" -> request.response().end(Buffer.buffer(new byte[200_000]));
                default -> request.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").await();
        service = RunningService.start(Map.of("URL_ALLOWED_HOSTS", "localhost", "URL_DOWNLOAD_MAX_SIZE", "100k"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        vertx.close().await();
    }

    private static String url(String path) {
        return "http://localhost:" + files.actualPort() + path;
    }

    private static Projects figureDocument(String figureUrl) {
        return Projects.project()
                .file("main.tex", """
                        \\documentclass{article}
                        \\usepackage{graphicx}
                        \\begin{document}
                        Figure follows. \\IfFileExists{figs/square.png}{\\includegraphics[width=2cm]{figs/square.png}}{MISSING-FIGURE}
                        \\end{document}
                        """)
                .url("figs/square.png", figureUrl, 1_700_000_000_000L);
    }

    @Test
    void downloadsAPngByUrlAndTypesetsIt() throws Exception {
        RunningService.Response response = service.compile("png-url", figureDocument(url("/figure.png")).json());

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        assertThat(service.pdfText(response.json())).contains("Figure follows.").doesNotContain("MISSING-FIGURE");
        try (PDDocument pdf = Loader.loadPDF(service.download(RunningService.outputUrl(response.json(), "output.pdf")))) {
            var resources = pdf.getPage(0).getResources();
            assertThat(resources.getXObjectNames()).anySatisfy(name -> {
                var image = (PDImageXObject) resources.getXObject(name);
                assertThat(image.getWidth()).isEqualTo(16);
                assertThat(image.getImage().getRGB(0, 0) & 0xffffff).isEqualTo(0xff0000);
            });
        }
    }

    @Test
    void downloadsAgainAfterTheProjectIsClearedButNotForItsNextCompile() {
        Projects document = figureDocument(url("/figure.png"));
        assertThat(service.compile("png-cleared", document.json()).compileStatus()).isEqualTo("success");
        int before = pngRequests.get();

        RunningService.Response cleared = service.send(HttpRequest.newBuilder(service.uri("/project/png-cleared")).DELETE());
        RunningService.Response again = service.compile("png-cleared", document.json());
        int afterClear = pngRequests.get();
        RunningService.Response once = service.compile("png-cleared", document.file("more.tex", "x").json());

        assertThat(cleared.status()).isEqualTo(204);
        assertThat(again.compileStatus()).as(again.text()).isEqualTo("success");
        assertThat(again.compile().getJsonObject("stats").getInteger("isInitialCompile")).isEqualTo(1);
        assertThat(afterClear).isEqualTo(before + 1);
        assertThat(once.compileStatus()).isEqualTo("success");
        assertThat(pngRequests.get()).isEqualTo(afterClear);
    }

    @Test
    void followsARedirectWithinTheAllowedHosts() {
        RunningService.Response response = service.compile("png-moved", figureDocument(url("/moved.png")).json());

        assertThat(response.compileStatus()).isEqualTo("success");
        assertThat(service.pdfText(response.json())).doesNotContain("MISSING-FIGURE");
    }

    @Test
    void refusesAUrlFromAHostNotAllowedAndWritesNothing() {
        String disallowed = "http://127.0.0.1:" + files.actualPort() + "/figure.png";
        int before = pngRequests.get();

        RunningService.Response response = service.compile("png-refused", figureDocument(disallowed).json());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.compile().getString("error")).contains("127.0.0.1").contains("URL_ALLOWED_HOSTS");
        assertThat(pngRequests.get()).isEqualTo(before);
        assertThat(Files.exists(service.dataDir().resolve("compiles/p/png-refused"))).isFalse();
    }

    @Test
    void reportsARedirectToAHostNotAllowedAndCompilesWithoutTheFile() {
        RunningService.Response response = service.compile("png-escape", figureDocument(url("/escape.png")).json());

        assertThat(response.status()).isEqualTo(200);
        assertThat(service.pdfText(response.json())).contains("MISSING-FIGURE");
        JsonObject error = response.compile().getJsonArray("resourceErrors").getJsonObject(0);
        assertThat(error.getString("path")).isEqualTo("figs/square.png");
        assertThat(error.getString("error")).contains("127.0.0.2").contains("URL_ALLOWED_HOSTS");
    }

    @Test
    void reportsAMissingOrOversizedDownloadAndCompilesWithoutIt() {
        Projects project = figureDocument(url("/missing.png")).url("data/large.bin", url("/large.bin"), 1L);

        RunningService.Response response = service.compile("png-missing", project.json());

        assertThat(response.compileStatus()).isEqualTo("success");
        assertThat(service.pdfText(response.json())).contains("MISSING-FIGURE");
        assertThat(response.compile().getJsonArray("resourceErrors").stream().map(e -> ((JsonObject) e).getString("error")))
                .anySatisfy(e -> assertThat(e).contains("HTTP 404"))
                .anySatisfy(e -> assertThat(e).contains("download limit"));
        assertThat(service.dataDir().resolve("compiles/p/png-missing/data/large.bin")).doesNotExist();
    }

    private static byte[] redSquarePng() throws Exception {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        var graphics = image.createGraphics();
        graphics.setColor(Color.RED);
        graphics.fillRect(0, 0, 16, 16);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

}
