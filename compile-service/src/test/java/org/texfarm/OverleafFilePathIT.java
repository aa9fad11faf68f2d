package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.Test;

/**
 * The Compose stack's path for uploaded files, end to end through its network: a stand-in for the
 * sharelatex service (overleaf-standin/standin.py) serves files as Overleaf 5.2.1's filestore does
 * and sends a compile as its web does, naming each file by the filestore host the stack's
 * {@code overleaf-env.sh} gives web ({@code http://sharelatex:3009/project/<id>/file/<id>}); the stack's
 * compile service fetches it from the sharelatex service on the Compose network.
 */
class OverleafFilePathIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final Path STANDIN = Compose.REPOSITORY.resolve("compile-service/src/test/resources/overleaf-standin");

    @Test
    void compilesAProjectWhoseImageWebSendsAsAFilestoreUrl() throws Exception {
        Path data = Files.createTempDirectory(Path.of("/var/tmp"), "texfarm-standin-it");
        // The service runs as uid 10002 in its image, and owns its data directory.
        Files.setAttribute(data, "unix:uid", 10002);
        Files.setAttribute(data, "unix:gid", 10002);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("COMPILE_SERVICE_IMAGE", Compose.imageBuiltBy("compile-service/image"));
        settings.put("TEXLIVE_IMAGE", RunningService.IMAGE);
        settings.put("TEXFARM_DATA", data.toString());
        settings.put("DOCKER_GID", Files.getAttribute(Path.of("/var/run/docker.sock"), "unix:gid", LinkOption.NOFOLLOW_LINKS).toString());
        Compose stack = new Compose("texfarm-standin-it", settings, Compose.REPOSITORY.resolve("docker-compose.yml"),
                STANDIN.resolve("docker-compose.standin.yml"));
        try {
            stack.run("up", "--detach", "--no-deps", "compile-service", "sharelatex");
            awaitServiceFromTheStandIn(stack);

            List<String> lines = stack.run("exec", "-T", "sharelatex", "python3", "/standin/standin.py", "compile").lines()
                    .dropWhile(line -> !line.startsWith("{\"compile\"")).toList();
            JsonObject compile = new JsonObject(lines.getFirst()).getJsonObject("compile");
            String downloads = stack.run("exec", "-T", "sharelatex", "python3", "-c",
                    "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:3009/requests').read().decode())");

            assertThat(compile.getString("status")).as(compile.encode()).isEqualTo("success");
            assertThat(compile.containsKey("resourceErrors")).as(compile.encode()).isFalse();
            assertThat(downloads).contains("\"/project/5f0c1b2a3d4e5f6a7b8c9d0e/file/5f0c1b2a3d4e5f6a7b8c9d10\": 1");
            byte[] pdf = Base64.getDecoder().decode(lines.get(1).strip());
            assertThat(RunningService.pdfText(pdf)).contains("Sent as Overleaf sends it.");
            try (PDDocument document = Loader.loadPDF(pdf)) {
                var resources = document.getPage(0).getResources();
                assertThat(resources.getXObjectNames()).anySatisfy(name -> {
                    var image = (PDImageXObject) resources.getXObject(name);
                    assertThat(image.getWidth()).isEqualTo(16);
                    assertThat(image.getImage().getRGB(0, 0) & 0xffffff).isEqualTo(0x0000ff);
                });
            }
        } finally {
            System.out.println(stack.run("logs", "--no-color", "--tail", "40"));
            stack.close();
            HostCommand.run("rm", "-rf", data.toString());
        }
    }

    /** Waits until the compile service answers on the stack's network, as the stand-in reaches it. */
    private static void awaitServiceFromTheStandIn(Compose stack) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                stack.run("exec", "-T", "sharelatex", "python3", "-c",
                        "import urllib.request; urllib.request.urlopen('http://compile-service:3013/status', timeout=5)");
                return;
            } catch (java.io.IOException notYet) {
                assertThat(System.nanoTime()).as("the compile service answers within " + WAIT + ": " + notYet.getMessage())
                        .isLessThan(deadline);
                Thread.sleep(1000);
            }
        }
    }
}
