package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;
import static org.texfarm.Projects.project;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sandboxes kept for their project's next compile, on the real engine and image: which container
 * ran a compile is read from inside, by the document typesetting its host name (the container's
 * short id).
 */
class KeptSandboxesIT {
    private static final Pattern HOST = Pattern.compile("HOST\\s*([0-9a-f]{12})");
    private static RunningService service;
    private static SandboxContainers containers;
    private static int edits;

    @BeforeAll
    static void start() throws Exception {
        // No warm pool: a project that finds no kept sandbox must start one, so a kept sandbox is
        // what another project would take under pool pressure, if anything could take it.
        service = RunningService.start(Map.of("SANDBOX_POOL_SIZE", "0", "PRECOMPILE_PREAMBLES", "false"));
        containers = new SandboxContainers(service);
    }

    @AfterAll
    static void stop() throws Exception {
        containers.close();
        service.close();
    }

    /** Compiles a document that names its sandbox, with a new word each time (the result cache answers none). */
    private static String compileNamingSandbox(RunningService on, String project) {
        RunningService.Response response = on.compile(project, document("Edit " + edits++ + ". HOST\\input{/etc/hostname}").json());
        assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
        Matcher host = HOST.matcher(on.pdfText(response.json()));
        assertThat(host.find()).as("the sandbox's host name in the PDF").isTrue();
        return host.group(1);
    }

    @Test
    void answersLatexmksLookupsFromTheProjectsEarlierCompilesButNotOnceTheProjectHasAFileOfThatName() {
        String remembered = "sandbox_latexmk_lookups_total{answered=\"remembered\"";
        String run = "sandbox_latexmk_lookups_total{answered=\"kpsewhich\"";
        String bibliography = "@book{knuth, author={Donald Knuth}, title={The TeXbook}, year=1984, publisher={Addison-Wesley}}\n";
        String bst = """
                ENTRY { title } {} { label }
                FUNCTION {book} { "\\bibitem{" cite$ * "} Project style " * title * write$ newline$ }
                READ
                FUNCTION {begin.bib} { "\\begin{thebibliography}{9}" write$ newline$ }
                EXECUTE {begin.bib}
                ITERATE {call.type$}
                FUNCTION {end.bib} { "\\end{thebibliography}" write$ newline$ }
                EXECUTE {end.bib}
                """;
        double rememberedBefore = service.metric(remembered);
        double runBefore = service.metric(run);

        for (String word : List.of("first", "second")) {
            RunningService.Response response = service.compile("lookups", project().file("refs.bib", bibliography)
                    .file("main.tex", citing(word)).json());
            assertThat(response.compileStatus()).as(response.text()).isEqualTo("success");
            assertThat(service.pdfText(response.json())).contains(word, "The TeXbook");
        }
        double rememberedAfterTwo = service.metric(remembered);
        double runAfterTwo = service.metric(run);
        // The first compile asked kpsewhich for refs.bib and plain.bst; the second, where they are the same, asked the sandbox.
        assertThat(runAfterTwo - runBefore).isGreaterThanOrEqualTo(2);
        assertThat(rememberedAfterTwo - rememberedBefore).isGreaterThanOrEqualTo(2);

        RunningService.Response shadowing = service.compile("lookups", project().file("refs.bib", bibliography)
                .file("plain.bst", bst).file("main.tex", citing("third")).json());
        assertThat(shadowing.compileStatus()).as(shadowing.text()).isEqualTo("success");
        // plain.bst is the project's now, which kpsewhich finds first: asked again; refs.bib is remembered still.
        assertThat(service.metric(run) - runAfterTwo).isGreaterThanOrEqualTo(1);
        assertThat(service.metric(remembered) - rememberedAfterTwo).isGreaterThanOrEqualTo(1);
    }

    private static String citing(String word) {
        return "\\documentclass{article}\n\\begin{document}\nThe " + word + " compile cites \\cite{knuth}.\n"
                + "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n";
    }

    @Test
    void servesAProjectAgainInTheSandboxItKeptAndNeverAnotherProject() {
        double reusesBefore = service.metric("sandbox_kept_reuses_total");
        String first = compileNamingSandbox(service, "kept-a");
        String other = compileNamingSandbox(service, "kept-b");
        String again = compileNamingSandbox(service, "kept-a");
        String otherAgain = compileNamingSandbox(service, "kept-b");

        assertThat(again).isEqualTo(first);
        assertThat(otherAgain).isEqualTo(other).isNotEqualTo(first);
        assertThat(service.metric("sandbox_kept_reuses_total") - reusesBefore).isEqualTo(2);
        assertThat(service.metric("sandbox_kept ")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void endsEveryProcessOfACompileAndEmptiesTmpButTheFontCachesBeforeTheNext() throws Exception {
        try (RunningService full = RunningService.start(Map.of("SHELL_ESCAPE", "full", "SANDBOX_POOL_SIZE", "0",
                "PRECOMPILE_PREAMBLES", "false"))) {
            RunningService.Response planted = full.compile("lingering", project()
                    .file("plant.sh", """
                            setsid sh -c 'while true; do echo again >> /tmp/lingering.log; sleep 0.1; done' </dev/null >/dev/null 2>&1 &
                            nohup sleep 600 </dev/null >/dev/null 2>&1 &
                            echo secret > /tmp/left-behind
                            mkdir -p /tmp/texmf-var/planted /tmp/.cache/other
                            """)
                    .file("main.tex", "\\documentclass{article}\n\\begin{document}\n\\immediate\\write18{sh plant.sh}\n"
                            + "Planted. HOST\\input{/etc/hostname}\n\\end{document}\n").json());
            assertThat(planted.compileStatus()).as(planted.text()).isEqualTo("success");

            RunningService.Response looked = full.compile("lingering", project()
                    .file("look.sh", """
                            for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo; done > processes.txt
                            for f in /tmp/left-behind /tmp/lingering.log /tmp/texmf-var/planted /tmp/.cache/other; do
                              test -e $f && echo "LEFT $f"
                            done > left.txt
                            test -d /tmp/texmf-var/luatex-cache/generic/names && echo FONT-CACHES-KEPT >> left.txt
                            """)
                    .file("main.tex", "\\documentclass{article}\n\\begin{document}\n\\immediate\\write18{sh look.sh}\n"
                            + "Looked. HOST\\input{/etc/hostname}\n\\end{document}\n").json());
            assertThat(looked.compileStatus()).as(looked.text()).isEqualTo("success");

            Matcher plantedHost = HOST.matcher(full.pdfText(planted.json()));
            Matcher lookedHost = HOST.matcher(full.pdfText(looked.json()));
            assertThat(plantedHost.find() && lookedHost.find()).isTrue();
            assertThat(lookedHost.group(1)).as("the same sandbox").isEqualTo(plantedHost.group(1));
            assertThat(full.outputText(looked.json(), "processes.txt")).doesNotContain("sleep 600", "lingering.log");
            assertThat(full.outputText(looked.json(), "left.txt")).isEqualTo("FONT-CACHES-KEPT\n");
        }
    }

    @Test
    void aLuaLaTeXDocumentCannotReachTheChannelOfTheNextCompilesCommandOrReport() throws Exception {
        // LuaTeX's io.open writes where openout_any would refuse; the document tries every name
        // the launcher's FIFOs had and every descriptor /proc shows it.
        String injected = "1048576\\0" + "60000\\0" + "0\\0" + "sh\\0-c\\0touch /slot/work/INJECTED";
        RunningService.Response attack = service.compile("injector", project().option("compiler", "lualatex")
                .file("attack.lua", """
                        local reached = {}
                        local function try(path)
                          local f = io.open(path, "w")
                          if f then
                            f:write("INJECTED_LINE\\n", "0 none clean\\n")
                            f:close()
                            reached[#reached + 1] = path
                          end
                        end
                        try("/slot/go")
                        try("/slot/done")
                        for pid in lfs.dir("/proc") do
                          if pid:match("^%d+$") then
                            local fds = "/proc/" .. pid .. "/fd"
                            local listed, entries, state = pcall(lfs.dir, fds)
                            if listed then
                              for fd in entries, state do
                                if fd:match("^%d+$") then try(fds .. "/" .. fd) end
                              end
                            end
                          end
                        end
                        tex.print("REACHED " .. table.concat(reached, " ") .. " END")
                        """.replace("INJECTED_LINE", injected))
                .file("main.tex", "\\documentclass{article}\n\\begin{document}\n\\directlua{dofile(\"attack.lua\")}\n"
                        + "\\end{document}\n").json());
        assertThat(attack.compileStatus()).as(attack.text()).isEqualTo("success");
        String attackText = service.pdfText(attack.json());
        assertThat(attackText).contains("REACHED").doesNotContain("/slot/go", "/slot/done");

        RunningService.Response next = service.compile("injector", document("After the attempt.").json());
        assertThat(next.compileStatus()).as(next.text()).isEqualTo("success");
        assertThat(service.pdfText(next.json())).contains("After the attempt.");
        assertThat(service.dataDir().resolve("compiles/p/injector/INJECTED")).doesNotExist();
        assertThat(next.compile().getJsonArray("outputFiles").encode()).doesNotContain("INJECTED");
    }

    @Test
    void removesTheLeastRecentlyUsedAndIdleSandboxes() throws Exception {
        try (RunningService one = RunningService.start(Map.of("SANDBOX_POOL_SIZE", "0", "PRECOMPILE_PREAMBLES", "false",
                "KEPT_SANDBOXES", "1", "KEPT_SANDBOX_IDLE", "3"));
             SandboxContainers ones = new SandboxContainers(one)) {
            String first = compileNamingSandbox(one, "lru-a");
            compileNamingSandbox(one, "lru-b");
            assertThat(ones.awaitNoneLeft("lru-a", Duration.ofSeconds(10))).as("the least recently used one removed").isTrue();
            assertThat(compileNamingSandbox(one, "lru-a")).isNotEqualTo(first);
            assertThat(one.metric("sandbox_kept_evictions_total{reason=\"count\"")).isGreaterThanOrEqualTo(1);

            assertThat(ones.awaitNoneLeft("lru-a", Duration.ofSeconds(15))).as("the idle one removed").isTrue();
            assertThat(one.metric("sandbox_kept_evictions_total{reason=\"idle\"")).isGreaterThanOrEqualTo(1);
        }
    }
}
