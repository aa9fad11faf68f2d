package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.project;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.texfarm.sync.Sha256;

/** Incremental sync, hash-only uploads and the content store, through HTTP to real compiles. */
class SyncIT {
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static String mainTex(String body) {
        return "\\documentclass{article}\\begin{document}" + body + "\\end{document}";
    }

    private static RunningService.Response post(String path, JsonObject body) {
        return service.send(HttpRequest.newBuilder(service.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    private static RunningService.Response upload(String project, String content) {
        return service.send(HttpRequest.newBuilder(service.uri("/project/" + project + "/files/"
                        + Sha256.of(content.getBytes(StandardCharsets.UTF_8)).hex()))
                .PUT(HttpRequest.BodyPublishers.ofString(content)));
    }

    private static String hash(String content) {
        return Sha256.of(content.getBytes(StandardCharsets.UTF_8)).hex();
    }

    @Test
    void compilesAnIncrementalSyncOnTopOfTheLastFullSync() {
        RunningService.Response full = service.compile("incremental", project()
                .file("main.tex", mainTex("\\input{chapter} \\input{appendix}"))
                .file("chapter.tex", "First version.")
                .file("appendix.tex", "Appendix text.")
                .option("syncType", "full").option("syncState", "state-1").json());
        assertThat(full.compileStatus()).isEqualTo("success");

        RunningService.Response incremental = service.compile("incremental", project()
                .file("chapter.tex", "Second version.")
                .option("syncType", "incremental").option("syncState", "state-1").json());

        assertThat(incremental.compileStatus()).as(incremental.text()).isEqualTo("success");
        assertThat(service.pdfText(incremental.json())).contains("Second version.", "Appendix text.")
                .doesNotContain("First version.");
    }

    @Test
    void answersConflictForAnIncrementalSyncWithAnotherState() {
        service.compile("conflicting", project().file("main.tex", mainTex("x"))
                .option("syncType", "full").option("syncState", "state-A").json());

        RunningService.Response response = service.compile("conflicting", project().file("main.tex", mainTex("y"))
                .option("syncType", "incremental").option("syncState", "state-B").json());

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.compileStatus()).isEqualTo("conflict");
        assertThat(response.compile().getString("error")).contains("send a full sync");
    }

    @Test
    void compilesFromUploadedContentNamedByHash() {
        String chapter = "Uploaded chapter text.";
        String main = mainTex("\\input{chapter}");
        RunningService.Response before = post("/project/hashes/files/check",
                new JsonObject().put("hashes", new JsonArray().add(hash(chapter)).add(hash(main))));
        assertThat(before.json().getJsonArray("missing")).containsExactlyInAnyOrder(hash(chapter), hash(main));

        assertThat(upload("hashes", chapter).status()).isEqualTo(204);
        assertThat(upload("hashes", main).status()).isEqualTo(204);
        RunningService.Response after = post("/project/hashes/files/check",
                new JsonObject().put("hashes", new JsonArray().add(hash(chapter)).add(hash(main))));
        assertThat(after.json().getJsonArray("missing")).isEmpty();

        JsonObject request = project().json();
        request.getJsonObject("compile").put("resources", new JsonArray()
                .add(new JsonObject().put("path", "main.tex").put("hash", hash(main)))
                .add(new JsonObject().put("path", "chapter.tex").put("hash", hash(chapter))));
        RunningService.Response compiled = service.compile("hashes", request);

        assertThat(compiled.compileStatus()).as(compiled.text()).isEqualTo("success");
        assertThat(service.pdfText(compiled.json())).contains("Uploaded chapter text.");
    }

    @Test
    void refusesAnUploadWhoseContentDoesNotMatchItsHash() {
        RunningService.Response response = service.send(HttpRequest.newBuilder(
                        service.uri("/project/mismatch/files/" + hash("claimed")))
                .PUT(HttpRequest.BodyPublishers.ofString("something else")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().getString("error")).contains("hashes to");
    }

    @Test
    void neverResolvesAHashToAnotherProjectsContent() {
        String secret = "Confidential text of project one.";
        service.compile("tenant-one", project().file("main.tex", mainTex(secret)).json());

        RunningService.Response check = post("/project/tenant-two/files/check",
                new JsonObject().put("hashes", new JsonArray().add(hash(mainTex(secret)))));
        JsonObject request = project().json();
        request.getJsonObject("compile").put("resources", new JsonArray()
                .add(new JsonObject().put("path", "main.tex").put("hash", hash(mainTex(secret)))));
        RunningService.Response compile = service.compile("tenant-two", request);

        assertThat(check.json().getJsonArray("missing")).containsExactly(hash(mainTex(secret)));
        assertThat(compile.status()).isEqualTo(409);
        assertThat(compile.compile().getString("error")).contains("has not sent");
    }

    @Test
    void aCompileCannotChangeContentThatAnotherProjectShares() {
        String shared = "Shared original text.";
        RunningService.Response attack = service.compile("poisoner", project()
                .file("shared.tex", shared)
                .file("main.tex", mainTex("""
                        \\newwrite\\out
                        \\immediate\\openout\\out=shared.tex
                        \\immediate\\write\\out{POISONED}
                        \\immediate\\closeout\\out
                        \\input{shared}"""))
                .json());
        RunningService.Response victim = service.compile("victim", project()
                .file("shared.tex", shared)
                .file("main.tex", mainTex("\\input{shared}"))
                .json());

        assertThat(attack.compileStatus()).isIn("failure", "success");
        assertThat(victim.compileStatus()).isEqualTo("success");
        assertThat(service.pdfText(victim.json())).contains("Shared original text.").doesNotContain("POISONED");
    }

    @Test
    void refusesCompilesWhenTheDiskIsLow() throws Exception {
        try (RunningService full = RunningService.start(Map.of("DISK_MIN_FREE", "1000t"))) {
            RunningService.Response response = full.compile("no-room", project().file("main.tex", mainTex("x")).json());

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.compileStatus()).isEqualTo("unavailable");
            assertThat(response.compile().getString("error")).contains("disk is almost full");
            assertThat(response.raw().headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void countsStoreHitsInTheMetrics() {
        service.compile("metrics-a", project().file("main.tex", mainTex("Same text.")).json());
        service.compile("metrics-b", project().file("main.tex", mainTex("Same text.")).json());

        String metrics = service.send(HttpRequest.newBuilder(service.uri("/metrics")).GET()).text();

        assertThat(metrics).contains("store_hits_total", "store_bytes_saved_bytes_total", "url_downloads_total",
                "sync_files_written_total", "disk_free_bytes");
    }
}
