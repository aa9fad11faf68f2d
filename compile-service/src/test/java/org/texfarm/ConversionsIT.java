package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.project;

import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CLSI's conversions through HTTP, each run by pandoc or pdftocairo in the real conversion image:
 * what they make, and how they refuse what they cannot convert.
 */
class ConversionsIT {
    private static final String BOUNDARY = "conversions-it-boundary";
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("MAX_UPLOAD_SIZE", "1m"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    /** POSTs one file as CLSI's clients do: multipart/form-data, field {@code qqfile}. */
    private static RunningService.Response upload(String path, String fileName, byte[] content) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"qqfile\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return service.send(HttpRequest.newBuilder(service.uri(path))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A Word document of a paragraph, a picture and the quadratic formula, its math namespace declared on the equation. */
    private static byte[] wordDocument() throws IOException {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/>"
                + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument"
                + ".wordprocessingml.document.main+xml\"/></Types>").getBytes(StandardCharsets.UTF_8));
        parts.put("_rels/.rels", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org"
                + "/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument"
                + "/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>").getBytes(StandardCharsets.UTF_8));
        parts.put("word/_rels/document.xml.rels", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas"
                + ".openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org"
                + "/officeDocument/2006/relationships/image\" Target=\"media/image1.png\"/></Relationships>").getBytes(StandardCharsets.UTF_8));
        parts.put("word/media/image1.png", png());
        String run = "<m:r><m:t>%s</m:t></m:r>";
        parts.put("word/document.xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
                + " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
                + " xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\""
                + " xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""
                + " xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>"
                + "<w:p><w:r><w:t>Converted paragraph</w:t></w:r></w:p>"
                + "<w:p><w:r><w:drawing><wp:inline><wp:extent cx=\"381000\" cy=\"190500\"/><wp:docPr id=\"1\" name=\"Picture\"/>"
                + "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>"
                + "<pic:nvPicPr><pic:cNvPr id=\"1\" name=\"image1.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
                + "<pic:blipFill><a:blip r:embed=\"rId2\"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic>"
                + "</wp:inline></w:drawing></w:r></w:p>"
                + "<w:p><m:oMathPara xmlns:m=\"http://schemas.openxmlformats.org/officeDocument/2006/math\"><m:oMath>"
                + run.formatted("x") + run.formatted("=") + "<m:f><m:num>" + run.formatted("−") + run.formatted("b")
                + run.formatted("±") + "<m:rad><m:radPr><m:degHide m:val=\"1\"/></m:radPr><m:deg/><m:e><m:sSup><m:e>"
                + run.formatted("b") + "</m:e><m:sup>" + run.formatted("2") + "</m:sup></m:sSup>" + run.formatted("−")
                + run.formatted("4") + run.formatted("ac") + "</m:e></m:rad></m:num><m:den>" + run.formatted("2")
                + run.formatted("a") + "</m:den></m:f></m:oMath></m:oMathPara></w:p>"
                + "</w:body></w:document>").getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var part : parts.entrySet()) {
                zip.putNextEntry(new ZipEntry(part.getKey()));
                zip.write(part.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] compiledPdf(String project) {
        RunningService.Response compiled = service.compile(project, project()
                .file("main.tex", "\\documentclass[a4paper]{article}\\begin{document}A page to preview.\\end{document}").json());
        assertThat(compiled.compileStatus()).as(compiled.text()).isEqualTo("success");
        return service.download(RunningService.outputUrl(compiled.json(), "output.pdf"));
    }

    @Test
    void turnsAWordDocumentIntoAZipOfLatexWithItsEquationAndPicture() throws Exception {
        RunningService.Response converted = upload("/convert/document-to-latex?type=docx", "paper.docx", wordDocument());

        assertThat(converted.status()).as(converted.text()).isEqualTo(200);
        assertThat(converted.raw().headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"conversion.zip\"");
        Map<String, byte[]> zip = unzip(converted.body());
        assertThat(zip).containsOnlyKeys("main.tex", "media/image1.png");
        String latex = new String(zip.get("main.tex"), StandardCharsets.UTF_8);
        assertThat(latex).contains("\\begin{document}", "Converted paragraph", "media/image1.png",
                "\\[x = \\frac{- b \\pm \\sqrt{b^{2} - 4ac}}{2a}\\]");
        // The older name of the route converts Word files too.
        assertThat(upload("/convert/docx-to-latex", "paper.docx", wordDocument()).status()).isEqualTo(200);
    }

    @Test
    void turnsMarkdownIntoLatex() throws Exception {
        RunningService.Response converted = upload("/convert/document-to-latex?type=markdown", "notes.md",
                "# Notes\n\nSome *emphasis* and $e^{i\\pi} = -1$.\n".getBytes(StandardCharsets.UTF_8));

        assertThat(converted.status()).as(converted.text()).isEqualTo(200);
        String latex = new String(unzip(converted.body()).get("main.tex"), StandardCharsets.UTF_8);
        assertThat(latex).contains("\\section{Notes}", "\\emph{emphasis}", "e^{i\\pi} = -1");
    }

    @Test
    void refusesAFileThatIsNoWordDocumentWithPandocsMessageAndLeavesNothingBehind() throws Exception {
        RunningService.Response refused = upload("/convert/document-to-latex?type=docx", "paper.docx", compiledPdf("not-docx"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().getString("error")).contains("couldn't unpack docx container");
        assertThat(refused.json().getInteger("exitCode")).isPositive();
        try (Stream<Path> scratch = Files.list(service.dataDir().resolve("scratch"))) {
            assertThat(scratch.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith("convert-"));
        }
    }

    @Test
    void refusesAnUnknownTypeAMissingFileAndAnUploadOverTheLimit() {
        assertThat(upload("/convert/document-to-latex?type=odt", "a.odt", new byte[10]).status()).isEqualTo(400);
        assertThat(upload("/convert/document-to-latex", "a.docx", new byte[10]).status()).isEqualTo(400);
        assertThat(service.send(HttpRequest.newBuilder(service.uri("/convert/pdf-to-jpeg?mode=preview"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofString("--" + BOUNDARY + "--\r\n"))).status()).isEqualTo(400);
        RunningService.Response tooLarge = upload("/convert/pdf-to-jpeg?mode=preview", "big.pdf", new byte[2 << 20]);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.text()).contains("MAX_UPLOAD_SIZE");
    }

    @Test
    void makesJpegsOfAPdfsFirstPageAtThePreviewAndThumbnailWidths() throws Exception {
        byte[] pdf = compiledPdf("preview");
        for (var mode : Map.of("preview", 794, "thumbnail", 190).entrySet()) {
            RunningService.Response jpeg = upload("/convert/pdf-to-jpeg?mode=" + mode.getKey(), "input.pdf", pdf);

            assertThat(jpeg.status()).as(jpeg.text()).isEqualTo(200);
            assertThat(jpeg.raw().headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(jpeg.raw().headers().firstValueAsLong("Content-Length")).hasValue(jpeg.body().length);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg.body()));
            assertThat(image.getWidth()).isEqualTo(mode.getValue());
            assertThat(image.getHeight()).isGreaterThan(image.getWidth());
        }
        assertThat(upload("/convert/pdf-to-jpeg?mode=poster", "input.pdf", pdf).status()).isEqualTo(400);
        RunningService.Response notPdf = upload("/convert/pdf-to-jpeg?mode=preview", "input.pdf",
                "not a PDF at all".getBytes(StandardCharsets.US_ASCII));
        assertThat(notPdf.status()).isEqualTo(422);
        assertThat(notPdf.json().getString("error")).containsIgnoringCase("pdf");
    }

    @Test
    void storesAProjectAsAWordDocumentUnderItsConversionIdForDownload() throws Exception {
        RunningService.Response stored = service.compile(
                "/project/exported/user/0123456789abcdef01234567/download/project-to-document?type=docx&responseFormat=json",
                project().file("main.tex", "\\documentclass{article}\\begin{document}Exported words\\end{document}").json());

        assertThat(stored.status()).as(stored.text()).isEqualTo(200);
        JsonObject answer = stored.json();
        assertThat(answer.getString("conversionId")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(answer.getString("buildId")).matches("[0-9a-f]+-[0-9a-f]+");
        assertThat(answer.getString("file")).isEqualTo("output.docx");
        assertThat(stored.raw().headers().firstValue("X-Conversion-Id")).hasValue(answer.getString("conversionId"));
        byte[] docx = service.download(service.uri("/project/" + answer.getString("conversionId") + "/build/"
                + answer.getString("buildId") + "/output/output.docx").toString());
        assertThat(new String(unzip(docx).get("word/document.xml"), StandardCharsets.UTF_8)).contains("Exported words");
    }

    @Test
    void sendsAProjectAsMarkdownZippedWithoutKeepingIt() throws Exception {
        RunningService.Response sent = service.compile(
                "/project/markdown/user/0123456789abcdef01234567/download/project-to-document?type=markdown",
                project().file("main.tex", "\\documentclass{article}\\begin{document}\\section{Intro}Plain \\emph{words}.\\end{document}")
                        .json());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        String markdown = new String(unzip(sent.body()).get("main.md"), StandardCharsets.UTF_8);
        assertThat(markdown).contains("# Intro", "Plain *words*.");
        for (String badRequest : new String[] {"?type=pptx", "?type=markdown"}) {
            RunningService.Response refused = service.send(HttpRequest.newBuilder(service.uri(
                    "/project/markdown/user/0123456789abcdef01234567/download/project-to-document" + badRequest))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"compile\": 1}")));
            assertThat(refused.status()).as(badRequest).isEqualTo(400);
        }
    }

    @Test
    void answers503NamingTheImageWhileTheConversionImageIsNotBuilt() throws Exception {
        try (RunningService missing = RunningService.start(Map.of("CONVERSION_IMAGE", "texfarm-conversions:not-built"))) {
            RunningService.Response refused = missing.send(HttpRequest.newBuilder(missing.uri("/convert/pdf-to-jpeg?mode=preview"))
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"qqfile\";"
                            + " filename=\"a.pdf\"\r\n\r\n%PDF-1.4\r\n--" + BOUNDARY + "--\r\n")));

            assertThat(refused.status()).as(refused.text()).isEqualTo(503);
            assertThat(refused.text()).contains("texfarm-conversions:not-built");
        }
    }

    @Test
    void answers404ForConversionsSwitchedOff() throws Exception {
        try (RunningService off = RunningService.start(Map.of("DOCUMENT_CONVERSIONS", "false", "PDF_CONVERSIONS", "false"))) {
            assertThat(off.send(HttpRequest.newBuilder(off.uri("/convert/pdf-to-jpeg?mode=preview"))
                    .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(404);
            assertThat(off.send(HttpRequest.newBuilder(off.uri("/convert/document-to-latex?type=docx"))
                    .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(404);
        }
    }
}
