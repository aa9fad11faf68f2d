package org.texfarm.convert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.texfarm.InvalidRequestException;

/**
 * What {@code project-to-document} makes of a project's LaTeX, with CLSI's pandoc arguments: a
 * Word file as it is, Markdown and HTML zipped with the pictures they show.
 */
public enum ExportType {
    DOCX("docx", "docx", false, List.of("--from", "latex", "--to", "docx", "--citeproc", "--number-sections")),
    MARKDOWN("markdown", "md", true, List.of("--from", "latex", "--to", "markdown")),
    HTML("html", "html", true, List.of("--from", "latex", "--to", "html", "--standalone", "--mathml"));

    private final String wireName;
    private final String extension;
    private final boolean zipped;
    private final List<String> pandocArguments;

    ExportType(String wireName, String extension, boolean zipped, List<String> pandocArguments) {
        this.wireName = wireName;
        this.extension = extension;
        this.zipped = zipped;
        this.pandocArguments = pandocArguments;
    }

    public static ExportType fromWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("type must be 'docx', 'markdown' or 'html', not '" + name + "'"));
    }

    /** The name of the file a client receives: {@code output.docx}, or {@code output.zip} for a zipped export. */
    public String outputName() {
        return "output." + (zipped ? "zip" : extension);
    }

    /** The document's name inside a zipped export, beside its pictures. */
    String documentName() {
        return "main." + extension;
    }

    boolean zipped() {
        return zipped;
    }

    /**
     * pandoc's command line, run in the project's directory. A Word file is written to {@code output}
     * there. A zipped export is written into the directory {@code output} as {@link #documentName()},
     * with its pictures beside it, so that the zip's paths are its own: pandoc runs in it (a shell
     * makes it and changes into it; the paths are arguments, never part of the script), reading the
     * project from the parent.
     */
    List<String> command(String root, String output) {
        List<String> arguments = new ArrayList<>();
        if (zipped) {
            arguments.addAll(List.of("sh", "-c", "mkdir \"$1\" && cd \"$1\" && shift && TEXINPUTS=..: exec pandoc \"$@\"",
                    "sh", output, "../" + root, "--output", documentName()));
            arguments.addAll(pandocArguments);
            arguments.addAll(List.of("--resource-path=..", "--extract-media=."));
        } else {
            arguments.addAll(List.of("pandoc", root, "--output", output));
            arguments.addAll(pandocArguments);
            arguments.add("--resource-path=.");
        }
        return arguments;
    }
}
