package org.texfarm.loadtest.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.texfarm.loadtest.corpus.Document;
import org.texfarm.loadtest.corpus.FileServer;
import org.texfarm.loadtest.workload.CompileKind;
import org.texfarm.loadtest.workload.Project;

/**
 * Compiles through a CLSI-compatible service: {@code POST /project/:id/compile} with every file
 * (a full sync, as Overleaf's web sends), text inline and binary files by URL from the load
 * test's own file server. Requests go to the one base URL it is given, and nowhere else; at the
 * end it deletes the projects it made.
 */
public final class ServiceTarget implements CompileTarget {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How to reach the service and what to ask of it.
     *
     * @param baseUrl        the service's base URL
     * @param token          a bearer token for the service's API_TOKEN, or null
     * @param requestTimeout how long the client waits for one answer
     * @param compileTimeout the {@code options.timeout} sent, in seconds
     * @param compileGroup   the {@code options.compileGroup} sent, or null
     */
    public record Settings(URI baseUrl, String token, Duration requestTimeout, int compileTimeout, String compileGroup) {
    }

    private final Settings settings;
    private final FileServer files;
    private final HttpClient http;
    private final ExecutorService clientExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> projects = ConcurrentHashMap.newKeySet();
    private final AtomicLong resourceErrors = new AtomicLong();

    public ServiceTarget(Settings settings, FileServer files) {
        this.settings = settings;
        this.files = files;
        // HTTP/1.1, as Overleaf's web speaks to CLSI.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(clientExecutor).build();
    }

    @Override
    public String name() {
        return "service";
    }

    /** Files the service reported it could not fetch (is the file server's address in its URL_ALLOWED_HOSTS?). */
    public long resourceErrors() {
        return resourceErrors.get();
    }

    @Override
    public Outcome compile(Project project, CompileKind kind) throws InterruptedException {
        projects.add(project.id());
        HttpRequest request = request("/project/" + project.id() + "/compile")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(project)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return Outcome.failed("client-timeout", "no answer within " + settings.requestTimeout().toSeconds() + " s");
        } catch (IOException e) {
            return Outcome.failed("connection-error", e.toString());
        }
        return outcome(response.statusCode(), response.body());
    }

    /** Reads an answer: CLSI's {@code compile.status}, {@code stats} and {@code timings}. */
    Outcome outcome(int statusCode, byte[] body) {
        JsonNode compile;
        try {
            compile = JSON.readTree(body).path("compile");
        } catch (IOException e) {
            return Outcome.failed("http-" + statusCode, "an answer that is not JSON");
        }
        String error = compile.path("error").isTextual() ? compile.path("error").asText() : null;
        if (statusCode != 200 || !compile.path("status").isTextual()) {
            return Outcome.failed("http-" + statusCode, error);
        }
        // CLSI's stages, then the service's own ("queue", "sandbox") from its texfarm field.
        JsonNode details = compile.path("texfarm");
        Map<String, Long> stages = new LinkedHashMap<>();
        for (JsonNode timings : List.of(compile.path("timings"), details.path("timings"))) {
            timings.properties().forEach(stage -> {
                if (stage.getValue().canConvertToLong()) {
                    stages.put(stage.getKey(), stage.getValue().asLong());
                }
            });
        }
        resourceErrors.addAndGet(compile.path("resourceErrors").size());
        boolean cached = details.path("resultCacheHit").asBoolean(false);
        return new Outcome(compile.path("status").asText(), cached, stages, error);
    }

    /** The compile request for the project as it is now: a full sync of its files. */
    public byte[] requestBody(Project project) {
        Document document = project.document();
        ObjectNode options = JSON.createObjectNode()
                .put("compiler", document.compiler())
                .put("timeout", settings.compileTimeout())
                .put("syncType", "full");
        if (settings.compileGroup() != null) {
            options.put("compileGroup", settings.compileGroup());
        }
        ArrayNode resources = JSON.createArrayNode();
        project.files().forEach((path, content) -> {
            ObjectNode resource = resources.addObject().put("path", path);
            if (Document.isText(content)) {
                resource.put("content", new String(content, StandardCharsets.UTF_8));
            } else {
                // The document's own bytes never change: one URL and version for every project.
                resource.put("url", files.publish(document, path)).put("modified", 1);
            }
        });
        ObjectNode root = JSON.createObjectNode();
        root.putObject("compile").<ObjectNode>set("options", options)
                .put("rootResourcePath", document.root())
                .set("resources", resources);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a compile request", e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.baseUrl().resolve(path))
                .timeout(settings.requestTimeout());
        if (settings.token() != null) {
            builder.header("Authorization", "Bearer " + settings.token());
        }
        return builder;
    }

    /** Deletes the projects it compiled (their directories, states and builds on the service). */
    @Override
    public void close() {
        try {
            for (String project : projects) {
                HttpRequest delete = request("/project/" + project).timeout(CLEANUP_TIMEOUT).DELETE().build();
                try {
                    http.send(delete, HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    // The service expires what is left after PROJECT_TTL.
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            http.close();
            clientExecutor.shutdownNow();
            try {
                clientExecutor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
