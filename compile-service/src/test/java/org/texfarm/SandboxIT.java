package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.texfarm.sandbox.ContainerLabels;

/** The sandbox holds: limits and settings on the real container, hostile TeX contained. */
class SandboxIT {
    private static final String ENDLESS_LOOP = "\\def\\loop{\\loop}\\loop";

    private static RunningService service;
    private static SandboxContainers containers;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of(
                "SANDBOX_MEMORY", "768m", "SANDBOX_PIDS", "128", "SANDBOX_CPUS", "1",
                "SANDBOX_FILE_SIZE", "64m", "SANDBOX_TMP_SIZE", "32m", "SANDBOX_DISK", "32m",
                "COMPILE_TIMEOUT_MAX", "120"));
        containers = new SandboxContainers(service);
    }

    @AfterAll
    static void stop() throws Exception {
        containers.close();
        service.close();
    }

    @Test
    void runsEachCompileInAHardenedLabelledContainer() throws Exception {
        CompletableFuture<RunningService.Response> compile = CompletableFuture.supplyAsync(
                () -> service.compile("inspected", document(ENDLESS_LOOP).option("timeout", 60).json()));
        Container container = containers.awaitRunning("inspected", Duration.ofSeconds(30));
        InspectContainerResponse inspected = containers.docker().inspectContainerCmd(container.getId()).exec();
        service.send(java.net.http.HttpRequest.newBuilder(service.uri("/project/inspected/compile/stop"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

        HostConfig host = inspected.getHostConfig();
        assertThat(inspected.getConfig().getUser()).isEqualTo("10001:10001");
        assertThat(inspected.getConfig().getNetworkDisabled()).isTrue();
        assertThat(host.getNetworkMode()).isEqualTo("none");
        assertThat(host.getRuntime()).isEqualTo("runc");
        assertThat(host.getIpcMode()).isEqualTo("none");
        assertThat(host.getSysctls()).containsEntry("kernel.shmmni", "0").containsEntry("fs.mqueue.queues_max", "0");
        assertThat(inspected.getConfig().getEnv()).contains("shell_escape=p", "openin_any=a", "openout_any=p");
        assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
        assertThat(host.getSecurityOpts()).contains("no-new-privileges");
        assertThat(host.getReadonlyRootfs()).isTrue();
        assertThat(host.getTmpFs()).containsKey("/tmp");
        assertThat(host.getMemory()).isEqualTo(768L << 20);
        assertThat(host.getMemorySwap()).isEqualTo(768L << 20);
        assertThat(host.getCpuQuota()).isEqualTo(host.getCpuPeriod()).isEqualTo(1_000_000L);
        assertThat(host.getPidsLimit()).isEqualTo(128L);
        assertThat(Arrays.stream(host.getUlimits()).map(u -> u.getName() + "=" + u.getSoft()))
                .contains("fsize=" + (64L << 20), "core=0", "nofile=1024", "cpu=125");
        assertThat(host.getLogConfig().getConfig()).containsEntry("max-size", Long.toString(2L << 20));
        assertThat(inspected.getConfig().getLabels())
                .containsEntry(ContainerLabels.SERVICE, ContainerLabels.SERVICE_NAME)
                .containsEntry(ContainerLabels.INSTANCE, service.instanceId());
        assertThat(inspected.getName()).startsWith("/texfarm-" + service.instanceId() + "-inspected-");
        assertThat(inspected.getMounts()).singleElement().satisfies(mount -> {
            assertThat(mount.getDestination().getPath()).isEqualTo("/slot");
            assertThat(mount.getSource()).startsWith(service.dataDir().resolve("slots").toString());
        });
        assertThat(compile.get().compileStatus()).isEqualTo("terminated");
        // A stopped compile's directory is deleted, as CLSI's; the next compile makes it again.
        assertThat(service.compile("inspected", document("Again.").json()).compileStatus()).isEqualTo("success");
        Path projectDir = service.dataDir().resolve("compiles/p/inspected");
        assertThat(Files.getAttribute(projectDir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(10001);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(projectDir))).isEqualTo("rwx------");
    }

    @Test
    void runsLatexmkInAForkOfTheLauncherThatCompiledItAhead() throws Exception {
        CompletableFuture<RunningService.Response> compile = CompletableFuture.supplyAsync(
                () -> service.compile("preloaded", document(ENDLESS_LOOP).option("timeout", 60).json()));
        Container container = containers.awaitRunning("preloaded", Duration.ofSeconds(30));
        List<String> commandLines = containers.awaitCommandLines(container, "pdflatex", Duration.ofSeconds(30));
        service.send(java.net.http.HttpRequest.newBuilder(service.uri("/project/preloaded/compile/stop"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

        // A latexmk that Perl loaded would show as "perl /usr/bin/latexmk -norc ..."; the fork renamed itself.
        assertThat(commandLines).contains("/usr/bin/latexmk").noneMatch(line -> line.matches("\\S*perl \\S*latexmk.*"));
        assertThat(compile.get().compileStatus()).isEqualTo("terminated");
    }

    @Test
    void stopsACompileThatOutgrowsItsDiskCap() throws Exception {
        RunningService.Response response = service.compile("disk-bomb", document("""
                \\newwrite\\out
                \\immediate\\openout\\out=bomb.txt
                \\def\\line{0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789}
                \\def\\kb{\\line\\line\\line\\line\\line\\line\\line\\line\\line\\line}
                \\count255=0
                \\loop\\immediate\\write\\out{\\kb}\\advance\\count255 by 1 \\ifnum\\count255<200000 \\repeat
                \\immediate\\closeout\\out
                """).json());

        assertThat(response.compileStatus()).isEqualTo("terminated");
        assertThat(response.compile().getString("error")).contains("disk limit");
        assertThat(containers.awaitNoneLeft("disk-bomb", Duration.ofSeconds(10))).isTrue();
        assertThat(service.dataDir().resolve("compiles/p/disk-bomb/bomb.txt")).doesNotExist();
        assertThat(service.compile("disk-bomb", document("Small again.").json()).compileStatus()).isEqualTo("success");
    }

    @Test
    void killsAnEndlessLoopAtTheTimeoutAndCompilesAgainAfterwards() throws Exception {
        RunningService.Response looped = service.compile("looping", document(ENDLESS_LOOP).option("timeout", 5).json());

        assertThat(looped.status()).isEqualTo(200);
        assertThat(looped.compileStatus()).isEqualTo("timedout");
        assertThat(looped.compile().getString("error")).isEqualTo("container timed out");
        assertThat(containers.awaitNoneLeft("looping", Duration.ofSeconds(10))).as("containers left behind").isTrue();

        RunningService.Response next = service.compile("looping", document("Back to normal.").json());
        assertThat(next.compileStatus()).isEqualTo("success");
        assertThat(service.pdfText(next.json())).contains("Back to normal.");
    }

    @Test
    void compilesInAContainerStartedOnDemandWhenThePoolIsEmpty() throws Exception {
        try (RunningService noPool = RunningService.start(Map.of("SANDBOX_POOL_SIZE", "0"))) {
            for (int i = 0; i < 3; i++) {
                RunningService.Response response = noPool.compile("cold-" + i, document("Cold start " + i + ".").json());

                assertThat(response.compileStatus()).isEqualTo("success");
                assertThat(noPool.pdfText(response.json())).contains("Cold start " + i + ".");
            }
        }
    }

    @Test
    void readsTheImagesOwnFilesAndDevNullButNoHostFile() {
        String hostFile = service.dataDir().resolve("instance-id").toString();
        RunningService.Response response = service.compile("openin", document("""
                \\IfFileExists{/dev/null}{DEV-NULL-FOUND}{DEV-NULL-MISSING}
                \\IfFileExists{HOST_FILE}{HOST-FILE-FOUND}{HOST-FILE-MISSING}
                \\newread\\passwd
                \\openin\\passwd=/etc/passwd
                \\ifeof\\passwd NOTHING-READ\\else READ\\fi
                \\input{/etc/passwd}
                """.replace("HOST_FILE", hostFile)).json());

        assertThat(response.compileStatus()).isEqualTo("success");
        String text = service.pdfText(response.json());
        // /etc/passwd is the image's own: its sandbox user is there, the host's accounts are not.
        assertThat(text).contains("DEV-NULL-FOUND", "HOST-FILE-MISSING", "READ")
                .doesNotContain("DEV-NULL-MISSING", "HOST-FILE-FOUND", "NOTHING-READ");
        assertThat(text.replaceAll("\\s+", "")).contains("tex:x:10001:10001:");
    }

    @Test
    void runsOnlyTheRestrictedListByDefaultConvertingAnEpsFigure() {
        RunningService.Response response = service.compile("write18", Projects.project()
                .file("figure.eps", """
                        %!PS-Adobe-3.0 EPSF-3.0
                        %%BoundingBox: 0 0 240 40
                        /Helvetica findfont 18 scalefont setfont
                        10 14 moveto (An EPS figure) show
                        showpage
                        %%EOF
                        """)
                .file("main.tex", """
                        \\documentclass{article}
                        \\usepackage{graphicx}
                        \\begin{document}
                        \\immediate\\write18{touch pwned.txt}
                        \\includegraphics{figure.eps}
                        Shell escape attempted.
                        \\end{document}
                        """).json());

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        assertThat(service.pdfText(response.json())).contains("An EPS figure", "Shell escape attempted.");
        assertThat(response.compile().getJsonArray("outputFiles").stream().map(f -> ((JsonObject) f).getString("path")))
                .contains("figure-eps-converted-to.pdf").doesNotContain("pwned.txt");
        // TeX wraps its log's lines at 79 characters.
        assertThat(service.outputText(response.json(), "output.log").replace("\n", ""))
                .contains("runsystem(touch pwned.txt)...disabled (restricted)",
                        "runsystem(repstopdf --outfile=figure-eps-converted-to.pdf figure.eps)...executed");
    }

    @Test
    void reportsABrokenDocumentAsAFailureWithTheErrorInTheLog() {
        RunningService.Response response = service.compile("broken",
                Projects.project().file("main.tex", "\\documentclass{nosuchclass}\\begin{document}x\\end{document}").json());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.compileStatus()).isEqualTo("failure");
        assertThat(response.compile().getJsonObject("stats").getLong("latexmk-errors")).isEqualTo(1);
        assertThat(service.outputText(response.json(), "output.log")).contains("File `nosuchclass.cls' not found");
    }

    @Test
    void stopsAtTheFirstErrorWhenAsked() {
        RunningService.Response response = service.compile("first-error",
                document("Before. \\undefinedmacro After.").option("stopOnFirstError", true).json());

        assertThat(response.compileStatus()).isEqualTo("stopped-on-first-error");
        assertThat(service.outputText(response.json(), "output.log")).contains("Undefined control sequence");
    }
}
