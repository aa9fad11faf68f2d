package org.texfarm.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.texfarm.InvalidRequestException;
import org.texfarm.config.ShellEscape;
import org.texfarm.sandbox.DockerSandbox;
import org.texfarm.sync.ResourcePath;

/**
 * The latexmk command line of a compile: the server's own rc file only, {@code -jobname=output},
 * batch mode, SyncTeX, and the engine flags the request may add. As with CLSI, TeX works in the
 * main file's folder ({@code -cd}) while the outputs stay {@code output.*} at the project root
 * ({@code -outdir}, {@code -auxdir}); TeX also finds input files there, so files at the root stay
 * findable from a main file in a folder.
 */
public final class LatexmkCommand {
    /** The latexmk configuration the sandbox image installs; a project's latexmkrc is never read. */
    public static final String SERVER_RC = "/etc/latexmk/sandbox.rc";
    /** The name a precompiled preamble has in the compile directory while TeX runs. */
    static final String FORMAT_NAME = "texfarm-preamble";

    private static final List<Pattern> ALLOWED_FLAGS = List.of(
            Pattern.compile("-file-line-error"),
            Pattern.compile("-no-file-line-error"),
            Pattern.compile("-c-style-errors"),
            Pattern.compile("-halt-on-error"),
            Pattern.compile("-8bit"),
            Pattern.compile("-etex"),
            Pattern.compile("-recorder"),
            Pattern.compile("-synctex=-?[0-9]{1,3}"),
            Pattern.compile("-interaction=(batchmode|nonstopmode|scrollmode)"),
            Pattern.compile("-output-comment=[A-Za-z0-9._,:+=/-]{0,100}"));
    /** latexmk hands the root file to a shell inside double quotes, where these characters still act. */
    private static final Pattern SHELL_ACTIVE = Pattern.compile("[$`\"\\\\!]");

    /** What the check script exits with when chktex found errors (latexmk's own codes are below 20). */
    static final int CHKTEX_FOUND_ERRORS = 65;
    /**
     * Runs chktex on the main file with CLSI's options and small limits of its own (5 s of CPU,
     * 64 MB), its report in output.chktex, then the compile command unless the mode says not to.
     * chktex exits 2 when it printed only warnings, 3 when it found errors. One line: the
     * sandbox's launcher reads its command from a line.
     */
    private static final String CHECK_SCRIPT = String.join("; ",
            "mode=$1", "root=$2", "shift 2",
            "(ulimit -t 5 -v 64000; exec chktex -q -nall -e9 -e10 -w15 -w16 -o output.chktex \"$root\") >/dev/null 2>&1",
            "found=$?",
            "clean=no",
            "if [ \"$found\" -eq 0 ] || [ \"$found\" -eq 2 ]; then clean=yes; fi",
            "if [ \"$mode\" = validate ]; then [ \"$clean\" = yes ] && exit 0; exit " + CHKTEX_FOUND_ERRORS + "; fi",
            "if [ \"$mode\" = error ] && [ \"$clean\" = no ]; then exit " + CHKTEX_FOUND_ERRORS + "; fi",
            "exec \"$@\"");

    /** Main files that a latexmk rule turns into the {@code .tex} file of the same name, which is compiled. */
    private static final List<String> CONVERTED_TYPES = List.of("Rmd", "Rnw", "Rtex", "md");
    private static final Pattern CONVERTED_ROOT = Pattern.compile("\\.(" + String.join("|", CONVERTED_TYPES) + ")$");
    /** Main files converted by R (knitr, R Markdown), which runs the document's code. */
    private static final Pattern R_ROOT = Pattern.compile("\\.(Rtex|Rnw|Rmd)$");

    private static final String DRAFT_PRETEX =
            "\\PassOptionsToPackage{draft}{graphicx}\\PassOptionsToPackage{draft}{graphics}";

    private LatexmkCommand() {
    }

    /**
     * The command that dumps a preamble into {@code output.fmt} (mylatexformat): pdflatex in
     * ini mode, on a root file that holds only the preamble, recording the files it reads.
     */
    static List<String> dumpPreamble(CompileOptions options, ResourcePath root, ShellEscape shellEscape) {
        List<String> command = new ArrayList<>(List.of(
                "pdflatex", "-ini", "-jobname=output", "-interaction=batchmode", "-halt-on-error", "-recorder",
                shellEscape.engineFlag()));
        command.addAll(options.flags());
        command.addAll(List.of("&pdflatex", "mylatexformat.ltx", root.toString()));
        return command;
    }

    /** The file latexmk compiles for a main file: the {@code .tex} a rule makes from R and Markdown sources. */
    static String texFile(ResourcePath root) {
        return CONVERTED_ROOT.matcher(root.toString()).replaceFirst(".tex");
    }

    /**
     * Why a main file cannot compile at this shell-escape level, if it cannot: R runs the code of
     * its chunks, as {@code \\write18} would, so only at {@link ShellEscape#FULL}. The image's
     * latexmk rule refuses too.
     */
    static Optional<String> needsShellEscape(ResourcePath root, ShellEscape shellEscape) {
        return shellEscape != ShellEscape.FULL && R_ROOT.matcher(root.toString()).find()
                ? Optional.of("the main file '" + root + "' is converted by R (knitr), which runs the document's code; "
                        + "that needs full shell escape, which is " + shellEscape.label()
                        + " here (SHELL_ESCAPE, or the compile group's shellEscape)")
                : Optional.empty();
    }

    /**
     * The file that holds the document. As with CLSI, whose client names {@code main.tex} for a
     * knitr project, a missing main {@code .tex} file is made from the R or Markdown source of the
     * same name beside it (in the order the image's latexmk rule looks for them).
     */
    static ResourcePath source(ResourcePath root, Set<String> files) {
        String path = root.toString();
        if (files.contains(path) || !path.endsWith(".tex")) {
            return root;
        }
        String stem = path.substring(0, path.length() - ".tex".length());
        for (String type : CONVERTED_TYPES) {
            if (files.contains(stem + "." + type)) {
                List<String> components = new ArrayList<>(root.components());
                components.set(components.size() - 1, root.fileName().replaceFirst("\\.tex$", "." + type));
                return new ResourcePath(components);
            }
        }
        return root;
    }

    /** Checks a request's engine flag against the allowlist. */
    public static String checkFlag(String flag) {
        if (flag == null || ALLOWED_FLAGS.stream().noneMatch(p -> p.matcher(flag).matches())) {
            throw new InvalidRequestException("flag '" + flag + "' is not allowed; allowed: -file-line-error, "
                    + "-no-file-line-error, -c-style-errors, -halt-on-error, -8bit, -etex, -recorder, -synctex=N, "
                    + "-interaction=batchmode|nonstopmode|scrollmode, -output-comment=TEXT");
        }
        return flag;
    }

    /** Checks that the root file's name reaches TeX as a name, not as an option or shell syntax. */
    public static ResourcePath checkRoot(ResourcePath root) {
        String path = root.toString();
        if (path.startsWith("-") || SHELL_ACTIVE.matcher(path).find()) {
            throw new InvalidRequestException("rootResourcePath '" + path
                    + "' may not start with '-' or contain $, `, \", \\ or !");
        }
        return root;
    }

    /**
     * @param withFormat whether pdflatex loads the precompiled preamble {@link #FORMAT_NAME} from
     *                   the compile directory
     */
    public static List<String> build(CompileOptions options, ResourcePath root, ShellEscape shellEscape,
                                     boolean withFormat) {
        List<String> command = new ArrayList<>(List.of(
                "latexmk", "-norc", "-r", SERVER_RC,
                options.engine().latexmkOption(),
                "-cd", "-outdir=" + DockerSandbox.COMPILE_DIRECTORY, "-auxdir=" + DockerSandbox.COMPILE_DIRECTORY,
                "-jobname=output",
                "-interaction=batchmode",
                "-synctex=1",
                "-time",
                options.stopOnFirstError() ? "-halt-on-error" : "-f",
                shellEscape.engineFlag()));
        if (options.engine() == Engine.LUALATEX) {
            // No Lua sockets, whatever the network (CVE-2023-32668).
            command.add("-latexoption=--nosocket");
        }
        if (options.draft()) {
            command.add("-usepretex=" + DRAFT_PRETEX);
        }
        if (withFormat) {
            // Through the server rc's run_latex, as the rc sets the engines' commands.
            command.add("-pdflatex=internal run_latex pdflatex -fmt=" + FORMAT_NAME + " %O %S");
        }
        for (String flag : options.flags()) {
            command.add("-latexoption=" + flag);
        }
        command.add(texFile(root));
        // As CLSI, only LaTeX files are checked.
        if (options.check() == CheckMode.NONE || !root.toString().endsWith(".tex")) {
            return command;
        }
        List<String> checked = new ArrayList<>(List.of("sh", "-c", CHECK_SCRIPT, "check", options.check().wireName(),
                root.toString()));
        if (options.check() != CheckMode.VALIDATE) {
            checked.addAll(command);
        }
        return checked;
    }
}
