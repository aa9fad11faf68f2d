package org.texfarm.convert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.texfarm.InvalidRequestException;

/** What {@code /convert/document-to-latex} turns into LaTeX, with CLSI's pandoc arguments for it. */
public enum DocumentType {
    DOCX("docx", "input.docx", List.of("--extract-media=.", "--from", "docx+citations", "--citeproc")),
    MARKDOWN("markdown", "input.md", List.of("--from", "markdown"));

    private final String wireName;
    private final String inputName;
    private final List<String> pandocArguments;

    DocumentType(String wireName, String inputName, List<String> pandocArguments) {
        this.wireName = wireName;
        this.inputName = inputName;
        this.pandocArguments = pandocArguments;
    }

    /** The type a request's {@code type} names. */
    public static DocumentType fromWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("type must be 'docx' or 'markdown', not '" + name + "'"));
    }

    String inputName() {
        return inputName;
    }

    /** pandoc's command line, run in the conversion's directory. */
    List<String> command() {
        List<String> command = new ArrayList<>(List.of("pandoc", inputName, "--output", Conversions.LATEX_MAIN,
                "--to", "latex", "--standalone"));
        command.addAll(pandocArguments);
        return command;
    }
}
