package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad requests get 400 (or 413/415) with a message naming the problem, and change nothing on disk. */
class RequestValidationIT {
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        // Without background preamble dumps, so that only requests change what is stored.
        service = RunningService.start(Map.of("MAX_REQUEST_SIZE", "256k", "COMPILE_TIMEOUT_MAX", "30",
                "PRECOMPILE_PREAMBLES", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static JsonObject valid() {
        return document("Valid.").json();
    }

    private static JsonObject with(UnaryOperator<JsonObject> change) {
        return change.apply(valid());
    }

    private static JsonObject option(String name, Object value) {
        return with(body -> {
            body.getJsonObject("compile").getJsonObject("options").put(name, value);
            return body;
        });
    }

    private static JsonObject resourcePath(String path) {
        return with(body -> {
            body.getJsonObject("compile").getJsonArray("resources").add(new JsonObject().put("path", path).put("content", "x"));
            return body;
        });
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("parent traversal", resourcePath("../outside.tex"), "'..' component"),
                Arguments.of("sibling prefix", resourcePath("../validation-evil/x.tex"), "'..' component"),
                Arguments.of("absolute path", resourcePath("/etc/cron.d/x"), "absolute"),
                Arguments.of("backslash", resourcePath("a\\b.tex"), "backslash"),
                Arguments.of("NUL byte", resourcePath("a\u0000b.tex"), "NUL"),
                Arguments.of("empty component", resourcePath("a//b.tex"), "empty component"),
                Arguments.of("deep path", resourcePath("d/".repeat(40) + "x.tex"), "levels deep"),
                Arguments.of("long name", resourcePath("n".repeat(300) + ".tex"), "longer than"),
                Arguments.of("file and directory", with(body -> {
                    body.getJsonObject("compile").getJsonArray("resources")
                            .add(new JsonObject().put("path", "main.tex/inner.tex").put("content", "x"));
                    return body;
                }), "also a directory"),
                Arguments.of("root is a directory", with(body -> {
                    body.getJsonObject("compile").getJsonArray("resources")
                            .add(new JsonObject().put("path", "chapters/one.tex").put("content", "x"));
                    body.getJsonObject("compile").put("rootResourcePath", "chapters");
                    return body;
                }), "is a directory"),
                Arguments.of("root with shell syntax", with(body -> {
                    body.getJsonObject("compile").put("rootResourcePath", "$(reboot).tex");
                    body.getJsonObject("compile").getJsonArray("resources")
                            .add(new JsonObject().put("path", "$(reboot).tex").put("content", "x"));
                    return body;
                }), "may not start with"),
                Arguments.of("unknown compiler", option("compiler", "troff"), "unknown compiler 'troff'"),
                Arguments.of("flag not allowed", option("flags", new JsonArray().add("-shell-escape")), "flag '-shell-escape'"),
                Arguments.of("zero timeout", option("timeout", 0), "positive"),
                Arguments.of("negative timeout", option("timeout", -5), "positive"),
                Arguments.of("timeout not a number", option("timeout", "soon"), "number of seconds"),
                Arguments.of("draft not a boolean", option("draft", "yes"), "options.draft"),
                Arguments.of("bad sync type", option("syncType", "partial"), "syncType"),
                Arguments.of("bad build id", option("buildId", "../../x"), "invalid build id"),
                Arguments.of("resources not an array", with(body -> {
                    body.getJsonObject("compile").put("resources", "main.tex");
                    return body;
                }), "must be an array"),
                Arguments.of("resource without content or url", with(body -> {
                    body.getJsonObject("compile").getJsonArray("resources").add(new JsonObject().put("path", "b.tex"));
                    return body;
                }), "needs exactly one of content, url and hash"),
                Arguments.of("no compile object", new JsonObject().put("something", 1), "'compile' object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void refusesAnInvalidRequestWith400AndChangesNothing(String name, JsonObject body, String message) throws IOException {
        List<Path> before = listing(service.dataDir());

        RunningService.Response response = service.compile("validation", body);

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.compile().getString("error")).contains(message);
        assertThat(listing(service.dataDir())).isEqualTo(before);
    }

    @Test
    void answersAnImageThatIsNotAllowedAsCLSIDoesWith500AndChangesNothing() throws IOException {
        List<Path> before = listing(service.dataDir());

        RunningService.Response response = service.compile("image", option("imageName", "evil/texlive:latest"));

        assertThat(response.status()).as(response.text()).isEqualTo(500);
        assertThat(response.compileStatus()).isEqualTo("error");
        assertThat(response.compile().getString("error")).contains("'evil/texlive:latest' is not allowed");
        assertThat(listing(service.dataDir())).isEqualTo(before);
    }

    @Test
    void compilesAProjectWhoseMainFileIsNotAResourceAndFailsNamingIt() {
        RunningService.Response response = service.compile("missing-root", with(body -> {
            body.getJsonObject("compile").put("rootResourcePath", "absent.tex");
            return body;
        }));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.compileStatus()).isEqualTo("failure");
        assertThat(response.compile().getString("error")).contains("'absent.tex'");
    }

    @Test
    void takesTheLastEntryOfAPathSentTwice() throws IOException {
        RunningService.Response response = service.compile("twice", with(body -> {
            body.getJsonObject("compile").getJsonArray("resources")
                    .add(new JsonObject().put("path", "main.tex").put("content",
                            "\\documentclass{article}\\begin{document}Second entry.\\end{document}"));
            return body;
        }));

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        assertThat(service.pdfText(response.json())).contains("Second entry.");
    }

    @Test
    void refusesMalformedJson() {
        RunningService.Response response = service.send(HttpRequest.newBuilder(service.uri("/project/p/compile"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"compile\": {")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.compile().getString("error")).contains("not valid JSON");
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] body = "{\"compile\":{\"rootResourcePath\":\"m\u00e9.tex\"}}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        RunningService.Response response = service.send(HttpRequest.newBuilder(service.uri("/project/p/compile"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void refusesAWrongContentType() {
        RunningService.Response response = service.send(HttpRequest.newBuilder(service.uri("/project/p/compile"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(valid().encode())));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.compile().getString("error")).contains("Content-Type: application/json");
    }

    @Test
    void refusesABodyOverTheLimitWith413() {
        JsonObject huge = document("x".repeat(300_000)).json();

        RunningService.Response response = service.compile("too-big", huge);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.compile().getString("error")).contains("MAX_REQUEST_SIZE");
    }

    @Test
    void refusesAnInvalidProjectOrUserId() {
        assertThat(service.compile("/project/bad.id/compile", valid()).status()).isEqualTo(400);
        assertThat(service.compile("/project/ok/user/not-hex/compile", valid()).status()).isEqualTo(400);
    }

    @Test
    void answersIncrementalSyncWithConflictSoTheClientSendsAFullSync() {
        RunningService.Response response = service.compile("incremental",
                option("syncType", "incremental").put("ignored", true));

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.compileStatus()).isEqualTo("conflict");
    }

    @Test
    void clampsATimeoutAboveTheMaximumInsteadOfRefusingIt() {
        RunningService.Response response = service.compile("clamped", option("timeout", 100_000));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.compileStatus()).isEqualTo("success");
    }

    @Test
    void refusesAnOutputPathThatEscapesTheBuild() {
        RunningService.Response compiled = service.compile("escape", valid());
        String buildId = compiled.compile().getString("buildId");

        RunningService.Response response = service.send(HttpRequest.newBuilder(
                service.uri("/project/escape/build/" + buildId + "/output/%2e%2e%2f%2e%2e%2finstance-id")).GET());

        assertThat(response.status()).isIn(400, 404);
        assertThat(response.text()).doesNotContain(service.instanceId());
    }

    /** What requests store: everything but the sandbox slots, which the pool makes and removes in the background. */
    private static List<Path> listing(Path root) throws IOException {
        List<Path> paths = new ArrayList<>();
        Path slots = root.resolve("slots");
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(slots)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                paths.add(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                paths.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        return paths.stream().sorted().toList();
    }
}
