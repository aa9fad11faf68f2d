package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.project;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Full shell escape, where the sandbox is the only boundary: shell commands attack it under each
 * runtime the engine offers, runc always and gVisor's runsc when it is registered
 * ({@code sandbox-images/docker-engine --with-runsc}, as CI does). Each attack ends with a clear
 * status, and the service compiles the next project with nothing of the attack left.
 */
class ShellEscapeIT {
    private static final Map<String, Started> services = new HashMap<>();
    private static int nextProject;

    private record Started(RunningService service, SandboxContainers containers) {
    }

    static Stream<String> runtimes() throws IOException {
        try (SandboxContainers engine = new SandboxContainers("none")) {
            Map<String, ?> registered = engine.docker().infoCmd().exec().getRuntimes();
            return Stream.of("runc", "runsc").filter(registered::containsKey);
        }
    }

    private static synchronized Started service(String runtime) throws Exception {
        Started started = services.get(runtime);
        if (started == null) {
            // No periodic health check: its smoke-test compile, writing the store while Aftermath
            // looks for temp files there, would race with that check on a service that lives minutes.
            RunningService service = RunningService.start(Map.of("SHELL_ESCAPE", "full", "SANDBOX_RUNTIME", runtime,
                    "SANDBOX_FILE_SIZE", "8m", "SANDBOX_DISK", "32m", "SANDBOX_TMP_SIZE", "16m",
                    "PRECOMPILE_PREAMBLES", "false", "HEALTH_CHECK_INTERVAL", "86400"));
            started = new Started(service, new SandboxContainers(service));
            services.put(runtime, started);
        }
        return started;
    }

    @AfterAll
    static void stop() throws Exception {
        for (Started started : services.values()) {
            started.containers().close();
            started.service().close();
        }
    }

    /** Runs {@code script} by {@code \write18} in project {@code name}; the script's output is kept in {@code result.txt}. */
    private static RunningService.Response shell(String runtime, String name, String script, int timeoutSeconds) throws Exception {
        RunningService service = service(runtime).service();
        RunningService.Response response = service.compile(name, project().option("timeout", timeoutSeconds)
                .file("attack.sh", script)
                .file("main.tex", "\\documentclass{article}\n\\begin{document}\n\\immediate\\write18{sh attack.sh > result.txt 2>&1}\n"
                        + "Attacked.\n\\end{document}\n").json());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response;
    }

    private static String result(String runtime, RunningService.Response response) throws Exception {
        return service(runtime).service().outputText(response.json(), "result.txt");
    }

    private static void assertServesOn(String runtime, String attacked) throws Exception {
        Started started = service(runtime);
        Aftermath.assertServesOnWithNothingLeft(started.service(), started.containers(), attacked, "after-" + nextProject++);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void reachesNoNetworkButLoopbackNoDockerSocketAndNoHostPath(String runtime) throws Exception {
        Path hostFile = service(runtime).service().dataDir().resolve("instance-id");
        RunningService.Response response = shell(runtime, "reach", """
                echo "INTERFACES $(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\\n' ' ')"
                perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(PeerAddr => "1.1.1.1:80", Timeout => 2) ? "NETWORK-OPEN\\n" : "NO-NETWORK\\n"'
                for socket in /var/run/docker.sock /run/docker.sock /run/containerd/containerd.sock; do
                  test -e $socket && echo "SOCKET $socket"
                done
                test -e HOST_FILE && echo HOST-FILE-VISIBLE || echo HOST-FILE-HIDDEN
                echo "UID-$(id -u)"
                """.replace("HOST_FILE", hostFile.toString()), 60);

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        assertThat(result(runtime, response)).contains("INTERFACES lo \n", "NO-NETWORK", "HOST-FILE-HIDDEN", "UID-10001")
                .doesNotContain("NETWORK-OPEN", "SOCKET", "HOST-FILE-VISIBLE");
        assertServesOn(runtime, "reach");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void writesOnlyToTheProjectAndItsOwnTmpNoSharedMemoryOrIpcObjects(String runtime) throws Exception {
        RunningService.Response response = shell(runtime, "writes", """
                for place in . /tmp /slot / /etc /var/tmp /dev /dev/shm /dev/mqueue /usr/local/lib/texfarm /compile; do
                  ( echo x > "$place/written" ) 2>/dev/null && echo "WROTE $place" || echo "REFUSED $place"
                done
                ipcmk -M 4096 >/dev/null 2>&1 && echo "IPC shared-memory" || echo "NO-IPC shared-memory"
                ipcmk -Q >/dev/null 2>&1 && echo "IPC message-queue" || echo "NO-IPC message-queue"
                ipcmk -S 1 >/dev/null 2>&1 && echo "IPC semaphore" || echo "NO-IPC semaphore"
                """, 60);

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        String result = result(runtime, response);
        assertThat(result).contains("WROTE .\n", "WROTE /tmp\n");
        for (String place : List.of("/slot", "/", "/etc", "/var/tmp", "/dev", "/dev/shm", "/dev/mqueue", "/usr/local/lib/texfarm", "/compile")) {
            assertThat(result).contains("REFUSED " + place + "\n");
        }
        if (runtime.equals("runc")) {
            assertThat(result).contains("NO-IPC shared-memory", "NO-IPC message-queue", "NO-IPC semaphore");
        } else {
            // gVisor keeps IPC objects in its own kernel, which ends with the container.
            assertThat(result).contains("IPC shared-memory");
        }
        assertServesOn(runtime, "writes");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void readsTheImageButNoOtherProjectsFilesAndNoHostPathInMountinfoUnderGvisor(String runtime) throws Exception {
        RunningService service = service(runtime).service();
        String secret = "victim-secret-" + runtime + "-" + System.nanoTime();
        RunningService.Response victim = service.compile("victim", project().file("secret.tex", secret)
                .file("main.tex", "\\documentclass{article}\n\\begin{document}\n\\input{secret}\n\\end{document}\n").json());
        assertThat(victim.compileStatus()).as(victim.text()).isEqualTo("success");
        Path victimDirectory = service.dataDir().resolve("compiles/p/victim");
        assertThat(victimDirectory.resolve("secret.tex")).exists();

        RunningService.Response response = shell(runtime, "thief", """
                cat VICTIM/secret.tex 2>/dev/null || echo "NOT-AT-THE-HOST-PATH"
                grep -rl "SECRET" /slot /tmp /compile 2>/dev/null | grep -v attack.sh || echo "NOT-IN-THE-SANDBOX"
                test -r /dev/null && echo "DEV-NULL-READABLE"
                grep -c "^tex:x:10001:" /etc/passwd
                echo "MOUNTS-BEGIN"; cat /proc/self/mountinfo; echo "MOUNTS-END"
                """.replace("VICTIM", victimDirectory.toString()).replace("SECRET", secret), 60);

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        String result = result(runtime, response);
        assertThat(result).contains("NOT-AT-THE-HOST-PATH", "NOT-IN-THE-SANDBOX", "DEV-NULL-READABLE", "\n1\n")
                .doesNotContain(secret);
        String mounts = result.substring(result.indexOf("MOUNTS-BEGIN"), result.indexOf("MOUNTS-END"));
        if (runtime.equals("runsc")) {
            assertThat(mounts).as("gVisor's mount table names no host path")
                    .doesNotContain(service.dataDir().toString(), "/var/lib/docker", "/dev/vd", "/dev/sd");
        } else {
            // runc shows the host's own mount table entries for the container (security.md says what they reveal).
            assertThat(mounts).contains(" /slot ");
        }
        assertServesOn(runtime, "thief");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void endsEveryProcessOfTheCompileBeforeItsDirectoryLeavesTheSandbox(String runtime) throws Exception {
        RunningService service = service(runtime).service();
        RunningService.Response response = shell(runtime, "lingering", """
                setsid sh -c 'trap "" TERM HUP; sleep 3; echo late > late.txt' > /dev/null 2>&1 < /dev/null &
                nohup sh -c 'sleep 3; echo late > late-nohup.txt' > /dev/null 2>&1 &
                echo started
                """, 60);

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        Path directory = service.dataDir().resolve("compiles/p/lingering");
        Thread.sleep(Duration.ofSeconds(5));
        assertThat(directory.resolve("attack.sh")).exists();
        assertThat(directory.resolve("late.txt")).doesNotExist();
        assertThat(directory.resolve("late-nohup.txt")).doesNotExist();
        assertServesOn(runtime, "lingering");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void endsAForkBombAtTheProcessLimitWithAClearStatus(String runtime) throws Exception {
        RunningService.Response response = shell(runtime, "forks", "bomb() { bomb | bomb & }; bomb\nsleep 60\n", 8);

        // runc: the pids limit holds the bomb until the timeout. runsc: the limit counts gVisor's own
        // threads too; when the bomb leaves it none to start, the whole sandbox ends at once.
        assertThat(response.compileStatus()).as(response.text())
                .isIn(runtime.equals("runc") ? List.of("timedout") : List.of("timedout", "terminated"));
        assertServesOn(runtime, "forks");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void endsACpuBurnerAtTheTimeout(String runtime) throws Exception {
        RunningService.Response response = shell(runtime, "burner", "while :; do :; done & while :; do :; done\n", 5);

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("timedout");
        assertThat(response.compile().getString("error")).isEqualTo("container timed out");
        assertServesOn(runtime, "burner");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void endsADiskFillerAtTheDiskCapAndKeepsTmpWithinItsSize(String runtime) throws Exception {
        RunningService.Response tmp = shell(runtime, "tmp-filler",
                "dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>/dev/null; echo \"TMP-KB $(du -sk /tmp | cut -f1)\"\n", 60);
        assertThat(tmp.compileStatus()).as(tmp.text()).isEqualTo("success");
        String used = result(runtime, tmp).replaceAll("(?s).*TMP-KB (\\d+).*", "$1");
        assertThat(Integer.parseInt(used)).as("KiB in a 16m /tmp").isBetween(8 * 1024, 16 * 1024);

        RunningService.Response disk = shell(runtime, "disk-filler",
                "i=0; while [ $i -lt 100 ]; do dd if=/dev/zero of=fill-$i bs=1M count=7 2>/dev/null; i=$((i+1)); done\n", 60);
        assertThat(disk.compileStatus()).as(disk.text()).isEqualTo("terminated");
        assertThat(disk.compile().getString("error")).contains("disk limit", "32 MiB");
        assertServesOn(runtime, "disk-filler");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void typesetsCodeWithMinted(String runtime) throws Exception {
        RunningService service = service(runtime).service();
        RunningService.Response response = service.compile("minted", project().file("main.tex", Projects.MINTED_MAIN).json());

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        assertThat(service.pdfText(response.json())).contains(Projects.MINTED_CODE);
    }
}
