package org.texfarm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.texfarm.config.ServiceConfig;
import org.texfarm.sync.SafeFiles;

/**
 * A real compile service for integration tests: its own data directory and port, the real Docker
 * engine and the real image (system property {@code texlive.image}). Close it to stop it and
 * delete its data.
 */
public final class RunningService implements AutoCloseable {
    public static final String IMAGE = System.getProperty("texlive.image", ServiceConfig.DEFAULT_IMAGE);
    /** The TeX Live 2024 image, which {@code sandbox-images/build --all} makes beside the default one. */
    public static final String TEXLIVE_2024_IMAGE = System.getProperty("texlive.trixie.image", "texlive-sandbox:trixie");

    private final Path dataDir;
    private final CompileServer server;
    private final ServiceConfig config;
    // HTTP/1.1, as Overleaf's web speaks to CLSI.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private RunningService(Map<String, String> settings) throws IOException, InterruptedException {
        dataDir = Files.createTempDirectory("compile-service-it");
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", dataDir.toString());
        env.put("PORT", Integer.toString(freePort()));
        env.put("AGENT_PORT", "0");
        env.put("TEXLIVE_IMAGE", IMAGE);
        // Dumped at a project's first success: the tests of precompiled preambles need no compiles in front.
        env.put("PRECOMPILE_PREAMBLES_AFTER", "1");
        env.putAll(settings);
        config = ServiceConfig.fromEnvironment(env);
        server = CompileServer.start(config);
    }

    public static RunningService start() throws IOException, InterruptedException {
        return start(Map.of());
    }

    /** Starts a service with these settings (environment variable names) over the test defaults. */
    public static RunningService start(Map<String, String> settings) throws IOException, InterruptedException {
        return new RunningService(settings);
    }

    public ServiceConfig config() {
        return config;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int agentPort() {
        return server.agentPort();
    }

    public String instanceId() {
        return server.instanceId();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** POSTs a compile request to {@code /project/<id>/compile} (or any path given with a leading slash). */
    public Response compile(String projectOrPath, JsonObject body) {
        String path = projectOrPath.startsWith("/") ? projectOrPath : "/project/" + projectOrPath + "/compile";
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = http.send(request.timeout(Duration.ofMinutes(3)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of the Prometheus samples whose line starts with {@code prefix}, from {@code GET /metrics}. */
    public double metric(String prefix) {
        String text = send(HttpRequest.newBuilder(uri("/metrics")).GET()).text();
        return text.lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Downloads an output file by the URL a compile response gave. */
    public byte[] download(String url) {
        Response response = send(HttpRequest.newBuilder(URI.create(url)).GET());
        if (response.status() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.status() + ": " + response.text());
        }
        return response.body();
    }

    /** The text of the output PDF of a compile response. */
    public String pdfText(JsonObject compileResponse) {
        return pdfText(download(outputUrl(compileResponse, "output.pdf")));
    }

    /** The content of one output file of a compile response, as text. */
    public String outputText(JsonObject compileResponse, String path) {
        return new String(download(outputUrl(compileResponse, path)), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String outputUrl(JsonObject compileResponse, String path) {
        JsonArray files = compileResponse.getJsonObject("compile").getJsonArray("outputFiles");
        for (int i = 0; i < files.size(); i++) {
            if (files.getJsonObject(i).getString("path").equals(path)) {
                return files.getJsonObject(i).getString("url");
            }
        }
        throw new AssertionError("no output file " + path + " in " + compileResponse.encodePrettily());
    }

    public static String pdfText(byte[] pdf) {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document).replaceAll("\\s+", " ").trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        SafeFiles.deleteRecursively(dataDir);
    }

    /** A TCP port that no one listens on now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** An HTTP answer. */
    public record Response(int status, byte[] body, HttpResponse<byte[]> raw) {
        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        public JsonObject json() {
            return new JsonObject(text());
        }

        public JsonObject compile() {
            return json().getJsonObject("compile");
        }

        public String compileStatus() {
            return compile().getString("status");
        }
    }
}
