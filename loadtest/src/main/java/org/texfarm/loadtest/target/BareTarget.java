package org.texfarm.loadtest.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.texfarm.loadtest.workload.CompileKind;
import org.texfarm.loadtest.workload.Project;

/**
 * latexmk run bare, the floor a compile service is measured against: by chroot in an exported
 * copy of the TeX Live image's root filesystem, as the sandbox user, with the image's environment
 * and the service's own latexmk command line, but no service, no container and no limits. Each
 * project keeps its directory between compiles, as the service keeps a project's files. Needs root.
 */
public final class BareTarget implements CompileTarget {
    /** The environment the image and the service give a compile (see sandbox-images/texlive), but shell escape's. */
    private static final List<String> IMAGE_ENV = List.of(
            "HOME=/tmp", "LANG=C.UTF-8", "PATH=/usr/local/bin:/usr/bin:/bin", "TEXMFVAR=/tmp/texmf-var",
            "TEXMFCACHE=/tmp/texmf-var:/var/lib/texmf-sandbox", "openin_any=a", "openout_any=p");
    private static final String SANDBOX_USER = "10001:10001";
    /**
     * Runs the command, then linearizes {@code output.pdf} for fast web view unless its first 16 KiB
     * say it is already, as the service's sandbox does after latexmk; exits with the command's code.
     */
    private static final String LINEARIZED_AFTER = String.join("; ",
            "\"$@\"", "code=$?",
            "if [ -f output.pdf ] && ! head -c 16384 output.pdf | grep -aq '/Linearized 1'; then"
                    + " qpdf --linearize output.pdf .output.pdf.linearized >/dev/null 2>&1; status=$?;"
                    + " if [ $status -eq 0 ] || [ $status -eq 3 ]; then mv -f .output.pdf.linearized output.pdf;"
                    + " else rm -f .output.pdf.linearized; fi; fi",
            "exit $code");
    private static final Map<String, String> ENGINE_OPTIONS = Map.of(
            "pdflatex", "-pdf", "latex", "-pdfdvi", "xelatex", "-xelatex", "lualatex", "-lualatex");

    private final ImageRoot root;
    private final ShellEscapeLevel shellEscape;
    private final long timeoutSeconds;
    private final Set<Path> directories = ConcurrentHashMap.newKeySet();

    /**
     * @param shellEscape    the level the service's compile group runs at
     * @param timeoutSeconds a compile running longer is killed and counted as {@code timedout}
     */
    public BareTarget(ImageRoot root, ShellEscapeLevel shellEscape, long timeoutSeconds) {
        this.root = root;
        this.shellEscape = shellEscape;
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public String name() {
        return "bare";
    }

    /**
     * The compile service's latexmk command for a document with no options but its engine, run
     * with the project in {@code directory}.
     */
    public static List<String> latexmkCommand(String compiler, String rootFile, String directory, ShellEscapeLevel shellEscape) {
        String option = ENGINE_OPTIONS.get(compiler);
        if (option == null) {
            throw new IllegalArgumentException("unknown compiler " + compiler);
        }
        List<String> command = new ArrayList<>(List.of("latexmk", "-norc", "-r", "/etc/latexmk/sandbox.rc", option,
                "-cd", "-outdir=" + directory, "-auxdir=" + directory, "-jobname=output", "-interaction=batchmode", "-synctex=1", "-time", "-f", shellEscape.engineFlag));
        if (compiler.equals("lualatex")) {
            command.add("-latexoption=--nosocket");
        }
        command.add(rootFile);
        return command;
    }

    @Override
    public Outcome compile(Project project, CompileKind kind) throws InterruptedException {
        Path dir = root.directory("loadtest/" + project.id());
        try {
            switch (kind) {
                case FIRST -> {
                    directories.add(dir);
                    root.delete(dir);
                    for (Map.Entry<String, byte[]> file : project.files().entrySet()) {
                        write(dir.resolve(file.getKey()), file.getValue());
                    }
                    root.chown(dir, SANDBOX_USER);
                }
                case EDIT -> {
                    String edited = project.document().editedFile();
                    write(dir.resolve(edited), project.files().get(edited));
                    root.chown(dir, SANDBOX_USER);
                }
                case UNCHANGED -> {
                    // latexmk itself finds that nothing changed.
                }
            }
            String inRoot = "/" + root.path().relativize(dir);
            List<String> command = new ArrayList<>(List.of("chroot", "--userspec=" + SANDBOX_USER, root.path().toString(),
                    "/usr/bin/env", "-i", "-C", inRoot));
            command.addAll(IMAGE_ENV);
            command.add("shell_escape=" + shellEscape.texmfValue);
            command.add("TEXMFOUTPUT=" + inRoot);
            command.addAll(List.of("sh", "-c", LINEARIZED_AFTER, "compile"));
            command.addAll(latexmkCommand(project.document().compiler(), project.document().root(), inRoot, shellEscape));
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    return Outcome.failed("timedout", "bare latexmk ran over " + timeoutSeconds + " s");
                }
            } catch (InterruptedException e) {
                // The run is over: leave no TeX running.
                process.destroyForcibly();
                throw e;
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            boolean pdf = Files.isRegularFile(dir.resolve("output.pdf")) && Files.size(dir.resolve("output.pdf")) > 0;
            return new Outcome(pdf ? "success" : "failure", false, Map.of("compile", millis),
                    pdf ? null : "latexmk made no PDF (exit " + process.exitValue() + ")");
        } catch (IOException e) {
            return Outcome.failed("error", e.toString());
        }
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    /** Deletes the project directories it made. */
    @Override
    public void close() {
        for (Path dir : directories) {
            try {
                root.delete(dir);
            } catch (IOException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
        }
    }
}
