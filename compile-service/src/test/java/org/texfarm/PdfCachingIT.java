package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.project;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.texfarm.sync.Sha256;

/**
 * PDF caching through HTTP to real compiles: the ranges of a picture-heavy PDF, their chunks served
 * by hash only to the compile directory that made them, an unchanged picture's hash across an edit,
 * and several byte ranges of a PDF in one answer, as Overleaf's viewer fetches them.
 */
class PdfCachingIT {
    private static final int PICTURES = 3;
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    /** Noise, which no compression shrinks: each picture is a stream of some 200 KB in the PDF. */
    private static byte[] picture(long seed) throws Exception {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(260, 260, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }

    /** A project of {@link #PICTURES} pictures, uploaded by hash, and a main file that shows them after {@code text}. */
    private static JsonObject pictureProject(String projectPath, String text) throws Exception {
        JsonArray resources = new JsonArray();
        StringBuilder main = new StringBuilder("\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\n")
                .append(text).append("\n");
        for (int i = 0; i < PICTURES; i++) {
            byte[] png = picture(i);
            String hash = Sha256.of(png).hex();
            RunningService.Response uploaded = service.send(HttpRequest.newBuilder(service.uri(projectPath + "/files/" + hash))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(png)));
            assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(204);
            resources.add(new JsonObject().put("path", "picture" + i + ".png").put("hash", hash));
            main.append("\\includegraphics[width=4cm]{picture").append(i).append("}\n");
        }
        main.append("\\end{document}\n");
        JsonObject request = project().file("main.tex", main.toString()).option("enablePdfCaching", true).json();
        request.getJsonObject("compile").getJsonArray("resources").addAll(resources);
        return request;
    }

    private static JsonObject pdfEntry(RunningService.Response compiled) {
        JsonArray files = compiled.compile().getJsonArray("outputFiles");
        return IntStream.range(0, files.size()).mapToObj(files::getJsonObject)
                .filter(file -> file.getString("path").equals("output.pdf")).findFirst().orElseThrow();
    }

    private static List<JsonObject> ranges(RunningService.Response compiled) {
        JsonArray ranges = pdfEntry(compiled).getJsonArray("ranges");
        return IntStream.range(0, ranges.size()).mapToObj(ranges::getJsonObject).toList();
    }

    private static RunningService.Response get(String path) {
        return service.send(HttpRequest.newBuilder(service.uri(path)).GET());
    }

    @Test
    void servesEachRangeOfAPictureHeavyPdfAsItsBytesOnlyToTheProjectThatMadeIt() throws Exception {
        RunningService.Response compiled = service.compile("pictures", pictureProject("/project/pictures", "Pictures follow."));
        assertThat(compiled.compileStatus()).as(compiled.text()).isEqualTo("success");
        byte[] pdf = service.download(RunningService.outputUrl(compiled.json(), "output.pdf"));
        JsonObject entry = pdfEntry(compiled);
        String contentId = entry.getString("contentId");

        List<JsonObject> ranges = ranges(compiled);
        assertThat(ranges.stream().filter(range -> range.getLong("end") - range.getLong("start") > 150_000)).hasSize(PICTURES);
        for (JsonObject range : ranges) {
            RunningService.Response chunk = get("/project/pictures/content/" + contentId + "/" + range.getString("hash"));
            assertThat(chunk.status()).isEqualTo(200);
            byte[] expected = Arrays.copyOfRange(pdf, range.getInteger("start"), range.getInteger("end"));
            assertThat(chunk.body()).isEqualTo(expected);
            assertThat(Sha256.of(chunk.body()).hex()).isEqualTo(range.getString("hash"));
            assertThat(new String(pdf, range.getInteger("start") - range.getString("objectId").length(),
                    range.getString("objectId").length() + 3, StandardCharsets.US_ASCII)).isEqualTo(range.getString("objectId") + "obj");
            assertThat(chunk.raw().headers().firstValue("Cache-Control")).hasValue("public, max-age=86400");
        }
        assertThat(compiled.compile().getJsonObject("stats").fieldNames()).contains("pdf-caching-n-ranges",
                "pdf-caching-total-ranges-size", "pdf-caching-new-ranges-size", "pdf-caching-n-new-ranges",
                "pdf-caching-reclaimed-space");
        assertThat(compiled.compile().getJsonObject("timings").fieldNames())
                .contains("compute-pdf-caching", "pdf-caching-overhead-delete-stale-hashes");

        // No other compile directory learns whether the hash exists, even knowing the content id.
        String somePicture = ranges.stream().max((a, b) -> Long.compare(a.getLong("end") - a.getLong("start"),
                b.getLong("end") - b.getLong("start"))).orElseThrow().getString("hash");
        service.compile("other", project().file("main.tex", "\\documentclass{article}\\begin{document}x\\end{document}")
                .option("enablePdfCaching", true).json());
        assertThat(get("/project/other/content/" + contentId + "/" + somePicture).status()).isEqualTo(404);
        assertThat(get("/project/pictures/user/0123456789abcdef01234567/content/" + contentId + "/" + somePicture).status())
                .isEqualTo(404);
        assertThat(get("/project/pictures/content/1-1/" + somePicture).status()).isEqualTo(404);
    }

    @Test
    void keepsAnUnchangedPicturesHashAcrossAOneWordEdit() throws Exception {
        RunningService.Response first = service.compile("edited", pictureProject("/project/edited", "The first word."));
        RunningService.Response second = service.compile("edited", pictureProject("/project/edited", "The second word."));
        assertThat(second.compileStatus()).as(second.text()).isEqualTo("success");

        Set<String> pictures = ranges(first).stream().filter(range -> range.getLong("end") - range.getLong("start") > 150_000)
                .map(range -> range.getString("hash")).collect(Collectors.toSet());
        Set<String> after = ranges(second).stream().map(range -> range.getString("hash")).collect(Collectors.toSet());
        assertThat(pictures).hasSize(PICTURES);
        assertThat(after).containsAll(pictures);
        assertThat(pdfEntry(second).getString("contentId")).isEqualTo(pdfEntry(first).getString("contentId"));
        JsonObject stats = second.compile().getJsonObject("stats");
        assertThat(stats.getLong("pdf-caching-n-new-ranges")).isLessThan(stats.getLong("pdf-caching-n-ranges"));
        assertThat(stats.getLong("pdf-caching-new-ranges-size")).isLessThan(150_000L);
    }

    @Test
    void answersSeveralRangesOfThePdfInOneMultipartBodyAsNginxLaysItOut() {
        RunningService.Response compiled = service.compile("ranges", project()
                .file("main.tex", "\\documentclass{article}\\begin{document}Some text.\\end{document}").json());
        String url = RunningService.outputUrl(compiled.json(), "output.pdf");
        byte[] pdf = service.download(url);

        RunningService.Response parts = service.send(HttpRequest.newBuilder(URI.create(url))
                .header("Range", "bytes=0-9,100-104").GET());

        assertThat(parts.status()).isEqualTo(206);
        String type = parts.raw().headers().firstValue("Content-Type").orElseThrow();
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf('=') + 1);
        String expected = "\r\n--" + boundary + "\r\nContent-Type: application/pdf\r\nContent-Range: bytes 0-9/" + pdf.length
                + "\r\n\r\n" + new String(pdf, 0, 10, StandardCharsets.ISO_8859_1)
                + "\r\n--" + boundary + "\r\nContent-Type: application/pdf\r\nContent-Range: bytes 100-104/" + pdf.length
                + "\r\n\r\n" + new String(pdf, 100, 5, StandardCharsets.ISO_8859_1) + "\r\n--" + boundary + "--\r\n";
        assertThat(new String(parts.body(), StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        assertThat(parts.raw().headers().firstValueAsLong("Content-Length")).hasValue(parts.body().length);
    }

    @Test
    void givesNoRangesToACompileThatDoesNotAskForThem() {
        RunningService.Response compiled = service.compile("plain", project()
                .file("main.tex", "\\documentclass{article}\\begin{document}Plain.\\end{document}").json());

        assertThat(pdfEntry(compiled).fieldNames()).doesNotContain("ranges", "contentId");
        assertThat(compiled.compile().getJsonObject("stats").fieldNames()).noneMatch(key -> key.startsWith("pdf-caching"));
        assertThat(compiled.compile().getJsonObject("timings").fieldNames()).doesNotContain("compute-pdf-caching");
    }
}
