package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code output.zip}: a build's files in one download. */
class OutputArchiveIT {
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("PRECOMPILE_PREAMBLES", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

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
