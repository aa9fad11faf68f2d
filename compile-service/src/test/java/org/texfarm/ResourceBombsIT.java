package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;
import static org.texfarm.Projects.project;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Documents that try to exhaust a resource, on the real engine and image, under small limits:
 * each is stopped by its limit, answered with a status and the reason in {@code error}, its log
 * returned truncated, and the service compiles the next document with nothing left behind.
 */
class ResourceBombsIT {
    private static final long FILE_SIZE = 8L << 20;
    private static final long LOG_LIMIT = 64 * 1024;
    private static final int DISK_FILES = 500;

    private static RunningService service;
    private static SandboxContainers containers;
    private static int nextProject;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of(
                "SANDBOX_MEMORY", "256m", "SANDBOX_FILE_SIZE", "8m", "SANDBOX_DISK", "32m",
                "SANDBOX_DISK_FILES", Integer.toString(DISK_FILES), "SANDBOX_LOG_LIMIT", "64k",
                "SANDBOX_PIDS", "64", "SHELL_ESCAPE", "true", "PRECOMPILE_PREAMBLES", "false"));
        containers = new SandboxContainers(service);
    }

    @AfterAll
    static void stop() throws Exception {
        containers.close();
        service.close();
    }

    @AfterEach
    void stillServesWithNothingLeftBehind() throws Exception {
        Aftermath.assertServesOnWithNothingLeft(service, containers, "bomb", "after-bomb-" + nextProject++);
    }

    private static RunningService.Response bomb(Projects request, int timeoutSeconds) {
        RunningService.Response response = service.compile("bomb", request.option("timeout", timeoutSeconds).json());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response;
    }

    private static Map<String, Long> outputSizes(RunningService.Response response) {
        return response.compile().getJsonArray("outputFiles").stream().map(f -> (JsonObject) f)
                .collect(Collectors.toMap(f -> f.getString("path"), f -> f.getLong("size")));
    }

    private static String error(RunningService.Response response) {
        return response.compile().getString("error");
    }

    @Test
    void stopsAMemoryBombAtTheMemoryLimit() {
        RunningService.Response response = bomb(project().option("compiler", "lualatex").file("main.tex", """
                \\documentclass{article}
                \\begin{document}
                \\directlua{local t = {} local s = string.rep("x", 1048576) for i = 1, 1e9 do t[i] = s .. i end}
                \\end{document}
                """), 60);

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("terminated");
        assertThat(error(response)).contains("ran out of memory", "256 MiB");
    }

    @Test
    void containsAForkBombByTheProcessLimitAndTheTimeout() {
        RunningService.Response response = bomb(project()
                .file("bomb.sh", "bomb() { bomb | bomb & }; bomb\nsleep 60\n")
                .file("main.tex", "\\documentclass{article}\n\\begin{document}\n\\immediate\\write18{sh bomb.sh}\nForked.\n\\end{document}\n"), 8);

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("timedout");
        assertThat(error(response)).isEqualTo("container timed out");
    }

    @Test
    void stopsALogBombAndReturnsTheLogTruncated() {
        RunningService.Response response = bomb(document("""
                \\newcount\\n
                \\loop\\message{flooding the log with a long line of text, again and again and again}\\advance\\n by 1 \\ifnum\\n<100000000 \\repeat
                """), 20);

        assertThat(response.compileStatus()).as(response.text()).isIn("failure", "timedout", "terminated");
        assertThat(error(response)).isNotBlank();
        assertThat(outputSizes(response).get("output.log")).isLessThanOrEqualTo(LOG_LIMIT + 1024);
        assertThat(outputSizes(response).get("output.stdout")).isLessThanOrEqualTo(LOG_LIMIT);
        assertThat(service.outputText(response.json(), "output.log")).endsWith("[log truncated by the compile service]\n");
    }

    @Test
    void stopsAFileBombAtTheFileSizeLimit() {
        RunningService.Response response = bomb(document("""
                \\newwrite\\out
                \\immediate\\openout\\out=bomb.txt
                \\newcount\\n
                \\loop\\immediate\\write\\out{0123456789012345678901234567890123456789012345678901234567890123456789}\\advance\\n by 1 \\ifnum\\n<100000000 \\repeat
                """), 30);

        assertThat(response.compileStatus()).as(response.text()).isIn("failure", "terminated");
        assertThat(error(response)).contains("bomb.txt", "file size limit");
        assertThat(outputSizes(response).getOrDefault("bomb.txt", 0L)).isLessThanOrEqualTo(FILE_SIZE);
    }

    @Test
    void stopsAPageBombAtALimit() {
        RunningService.Response response = bomb(document("""
                \\newcount\\n
                \\loop\\null\\newpage\\advance\\n by 1 \\ifnum\\n<100000000 \\repeat
                """), 15);

        assertThat(response.compileStatus()).as(response.text()).isIn("failure", "timedout", "terminated");
        assertThat(error(response)).isNotBlank();
        assertThat(outputSizes(response).getOrDefault("output.pdf", 0L)).isLessThanOrEqualTo(FILE_SIZE);
    }

    @Test
    void stopsAJobThatWritesThousandsOfFilesAtTheFileCountLimit() {
        RunningService.Response response = bomb(document("""
                \\newwrite\\out
                \\newcount\\n
                \\loop\\immediate\\openout\\out=file\\the\\n.txt \\immediate\\write\\out{x}\\immediate\\closeout\\out
                \\advance\\n by 1 \\ifnum\\n<10000 \\repeat
                """), 60);

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("terminated");
        assertThat(error(response)).contains("disk limit", DISK_FILES + " files");
        assertThat(response.compile().getJsonArray("outputFiles").size()).isLessThanOrEqualTo(DISK_FILES + 10);
    }

    @Test
    void stopsAJobThatFillsItsDiskCap() {
        RunningService.Response response = bomb(document("""
                \\newwrite\\out
                \\newcount\\n
                \\newcount\\lines
                \\def\\fillchunk{\\immediate\\write\\out{0123456789012345678901234567890123456789012345678901234567890123456789}%
                  \\advance\\lines by 1 \\ifnum\\lines<50000 \\expandafter\\fillchunk\\fi}
                \\loop\\immediate\\openout\\out=chunk\\the\\n.txt \\lines=0 \\fillchunk\\immediate\\closeout\\out
                \\advance\\n by 1 \\ifnum\\n<1000 \\repeat
                """), 60);

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("terminated");
        assertThat(error(response)).contains("disk limit", "32 MiB");
    }
}
