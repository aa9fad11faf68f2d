package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;
import static org.texfarm.Projects.project;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Documents that attack the host, on the real engine and image. Each ends with a clear status,
 * leaves the host untouched, and the service still compiles the next document with no container
 * or temp file left behind.
 */
class HostileDocumentsIT {
    private static RunningService service;
    private static SandboxContainers containers;
    private static int nextProject;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("PRECOMPILE_PREAMBLES", "false"));
        containers = new SandboxContainers(service);
    }

    @AfterAll
    static void stop() throws Exception {
        containers.close();
        service.close();
    }

    @AfterEach
    void stillServesWithNothingLeftBehind() throws Exception {
        Aftermath.assertServesOnWithNothingLeft(service, containers, "hostile", "after-attack-" + nextProject++);
    }

    private static RunningService.Response compile(Projects request) {
        RunningService.Response response = service.compile("hostile", request.json());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.compileStatus()).as(response.text()).isIn("success", "failure");
        return response;
    }

    /** Everything the compile answered with, as text: the PDF's text when there is one, and the log. */
    private static String everythingShown(RunningService.Response response) {
        String log = service.outputText(response.json(), "output.log");
        return outputPaths(response).contains("output.pdf") ? service.pdfText(response.json()) + log : log;
    }

    private static List<String> outputPaths(RunningService.Response response) {
        return response.compile().getJsonArray("outputFiles").stream().map(f -> ((JsonObject) f).getString("path")).toList();
    }

    private static Projects lualatex(String lua, String body) {
        return project().option("compiler", "lualatex").file("attack.lua", lua).file("main.tex",
                "\\documentclass{article}\n\\begin{document}\n" + body + "\n\\directlua{dofile('attack.lua')}\n\\end{document}\n");
    }

    /** Tolerates entries that vanish during the walk: other tests' old builds are pruned meanwhile. */
    private static List<Path> filesNamed(Path root, String name) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (file.getFileName().toString().equals(name)) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null && !(failure instanceof NoSuchFileException)) {
                    throw failure;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    @Test
    void runsNoCommandThroughAPipedInputAtTheRestrictedDefault() {
        RunningService.Response response = compile(project()
                .file("attack.sh", "echo PWNED-$((6*7)) > pwned.txt; echo PWNED-$((6*7))\n")
                .file("main.tex", "\\documentclass{article}\n\\begin{document}\nPiped: \\input|\"sh attack.sh\" done.\n\\end{document}\n"));

        assertThat(outputPaths(response)).doesNotContain("pwned.txt");
        assertThat(everythingShown(response)).doesNotContain("PWNED-42");
    }

    /**
     * TeX reads what the sandbox holds, as TeX Live's default allows: the image's files, /proc of
     * its own processes. None of it is the host's or another project's (security.md).
     */
    @Test
    void readsOnlyWhatTheSandboxHoldsByInputGraphicsAndOpenin() {
        RunningService.Response victim = compile(project().file("secret.tex", "VICTIM-SECRET-" + nextProject)
                .file("main.tex", "\\documentclass{article}\n\\begin{document}\n\\input{secret}\n\\end{document}\n"));
        Path victimSecret = service.dataDir().resolve("compiles/p/hostile/secret.tex");
        assertThat(everythingShown(victim)).contains("VICTIM-SECRET-");
        assertThat(victimSecret).exists();

        RunningService.Response input = service.compile("thief", document("Secret: \\input{" + victimSecret + "} end.").json());
        RunningService.Response graphics = compile(project().file("main.tex", "\\documentclass{article}\n"
                + "\\usepackage{graphicx}\n\\begin{document}\nPicture: \\includegraphics{" + service.dataDir().resolve("instance-id")
                + "}\n\\end{document}\n"));
        RunningService.Response environ = compile(document("""
                \\newread\\secret
                \\openin\\secret=/proc/self/environ
                \\ifeof\\secret NOTHING-READ\\else\\read\\secret to\\line READ\\fi
                """));

        assertThat(input.status()).isEqualTo(200);
        assertThat(input.compileStatus()).as(input.text()).isEqualTo("failure");
        assertThat(service.outputText(input.json(), "output.log")).contains("LaTeX Error: File `").doesNotContain("VICTIM-SECRET-");
        assertThat(everythingShown(graphics)).contains("LaTeX Error: File `", "I could not locate the file")
                .doesNotContain(service.instanceId());
        assertThat(service.pdfText(environ.json())).contains("READ").doesNotContain("NOTHING-READ");
        assertThat(everythingShown(environ)).doesNotContain(service.instanceId(), "DOCKER_HOST", "JAVA_HOME", "DATA_DIR");
    }

    @Test
    void showsLuaNothingOfTheHostOrTheService() {
        Path hostFile = service.dataDir().resolve("instance-id");
        RunningService.Response response = compile(lualatex("""
                local function peek(path)
                  local file = io.open(path, "r")
                  if not file then return path .. ": CLOSED" end
                  local content = file:read("*a") or ""
                  file:close()
                  return path .. ": " .. content:gsub("\\0", " ")
                end
                for _, path in ipairs({"/proc/1/environ", "/proc/self/environ", "HOST_FILE"}) do
                  tex.print(-2, peek(path))
                  tex.print("\\\\par")
                end
                """.replace("HOST_FILE", hostFile.toString()), "Lua looks around."));

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        assertThat(service.pdfText(response.json()))
                .contains("Lua looks around.", hostFile + ": CLOSED")
                .contains("/proc/self/environ: ", "PWD=/slot/work")
                .doesNotContain(service.instanceId(), "DOCKER_HOST", "JAVA_HOME", "DATA_DIR");
    }

    @Test
    void writesNothingOutsideTheProject() throws Exception {
        RunningService.Response tex = compile(document("""
                \\newwrite\\out
                \\immediate\\openout\\out=../escaped-tex.txt
                \\immediate\\write\\out{escaped}
                \\immediate\\closeout\\out
                \\immediate\\openout\\out=/tmp/escaped-tex.txt
                \\immediate\\write\\out{escaped}
                \\immediate\\closeout\\out
                Wrote.
                """));
        RunningService.Response lua = compile(lualatex("""
                for _, path in ipairs({"../escaped-lua.txt", "/escaped-lua.txt", "/tmp/escaped-lua.txt", "/slot/escaped-lua.txt"}) do
                  local file = io.open(path, "w")
                  if file then file:write("escaped") file:close() end
                  tex.print(-2, path .. (file and ": WRITTEN" or ": REFUSED"))
                  tex.print("\\\\par")
                end
                """, "Lua writes."));

        assertThat(everythingShown(tex)).contains("escaped-tex.txt");
        assertThat(service.pdfText(lua.json())).contains("../escaped-lua.txt: REFUSED", "/escaped-lua.txt: REFUSED",
                "/slot/escaped-lua.txt: REFUSED");
        for (String name : List.of("escaped-tex.txt", "escaped-lua.txt")) {
            assertThat(filesNamed(service.dataDir(), name)).as(name + " under the data directory").isEmpty();
            assertThat(Path.of("/tmp", name)).as(name + " in the host's /tmp").doesNotExist();
        }
    }

    @Test
    void neverRunsALatexmkrcThatTheProjectSends() throws Exception {
        String rc = "system('echo PWNED > pwned-by-rc.txt');\n";
        RunningService.Response response = compile(document("Configured?").file("latexmkrc", rc).file(".latexmkrc", rc));

        assertThat(response.compileStatus()).isEqualTo("success");
        assertThat(outputPaths(response)).doesNotContain("pwned-by-rc.txt");
        assertThat(filesNamed(service.dataDir(), "pwned-by-rc.txt")).isEmpty();
    }

    @Test
    void neverFollowsLinksTheJobLeavesInPlaceOfOutputs() throws Exception {
        RunningService.Response response = compile(lualatex("""
                lfs.link("/etc/passwd", "passwd-link.txt", true)
                lfs.link("/", "root-link", true)
                os.remove("output.log")
                lfs.link("/etc/passwd", "output.log", true)
                tex.print(-2, "LINKED")
                """, "Links planted."));

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        assertThat(service.pdfText(response.json())).contains("Links planted.", "LINKED");
        assertThat(outputPaths(response)).contains("output.pdf").doesNotContain("passwd-link.txt", "root-link", "output.log");
        String build = response.compile().getString("buildId");
        for (String path : List.of("passwd-link.txt", "root-link/etc/passwd", "output.log")) {
            RunningService.Response fetched = service.send(HttpRequest.newBuilder(
                    service.uri("/project/hostile/build/" + build + "/output/" + path)).GET());
            assertThat(fetched.status()).as(path).isEqualTo(404);
            assertThat(fetched.text()).doesNotContain("root:x:0:0");
        }
    }

    @Test
    void neverServesAPdfThatTheJobReplacedWithALinkAfterWritingIt() {
        RunningService.Response response = compile(lualatex("""
                luatexbase.add_to_callback("wrapup_run", function()
                  os.remove("output.pdf")
                  lfs.link("/etc/passwd", "output.pdf", true)
                end, "plant a link once the PDF is written")
                """, "Replaced afterwards."));

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("failure");
        assertThat(outputPaths(response)).doesNotContain("output.pdf");
        String build = response.compile().getString("buildId");
        RunningService.Response fetched = service.send(HttpRequest.newBuilder(
                service.uri("/project/hostile/build/" + build + "/output/output.pdf")).GET());
        assertThat(fetched.status()).isEqualTo(404);
        assertThat(fetched.text()).doesNotContain("root:x:0:0");
    }

    @Test
    void neverLetsTheJobHardLinkItsInputsOrHostFiles() throws Exception {
        String main = "\\documentclass{article}\n\\begin{document}\nHard links.\n\\directlua{dofile('attack.lua')}\n\\end{document}\n";
        RunningService.Response response = compile(project().option("compiler", "lualatex").file("main.tex", main)
                .file("attack.lua", """
                        for _, pair in ipairs({{"main.tex", "hard-input.txt"}, {"/etc/passwd", "hard-passwd.txt"}}) do
                          local made = lfs.link(pair[1], pair[2])
                          if made == 0 then
                            local file = io.open(pair[2], "a")
                            if file then file:write("changed") file:close() end
                          end
                          tex.print(-2, pair[2] .. (made == 0 and ": LINKED" or ": REFUSED"))
                          tex.print("\\\\par")
                        end
                        """));

        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        // An input is the project's own copy, never its blob: linking it is harmless, and it is restored before the next compile.
        assertThat(service.pdfText(response.json())).contains("hard-passwd.txt: REFUSED");
        assertThat(outputPaths(response)).doesNotContain("hard-passwd.txt");
        StoredContent.assertEveryBlobIsWhole(service.dataDir());
        RunningService.Response again = compile(project().option("compiler", "lualatex").file("main.tex", main)
                .file("attack.lua", "tex.print(-2, 'unchanged input')"));
        assertThat(service.pdfText(again.json())).contains("Hard links.", "unchanged input");
    }
}
