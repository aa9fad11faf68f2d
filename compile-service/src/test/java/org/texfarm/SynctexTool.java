package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TeX Live's own {@code synctex} command, run in the TeX Live image on a build's outputs (mounted
 * read-only where the project was during the compile), to check the service's answers against.
 * Many queries go in one container, each answer under a marker line.
 */
final class SynctexTool {
    private static final String COMPILE_DIRECTORY = "/slot/work";

    private final Path build;
    private final Map<String, String> queries = new LinkedHashMap<>();

    SynctexTool(Path build) {
        this.build = build;
    }

    /** {@code synctex view -i line:column:file}: adds the query; its answer comes under {@code key}. */
    SynctexTool view(String key, String file, int line, int column) {
        queries.put(key, "synctex view -i " + line + ":" + column + ":" + file + " -o output.pdf");
        return this;
    }

    /** {@code synctex edit -o page:h:v}. */
    SynctexTool edit(String key, int page, double h, double v) {
        queries.put(key, "synctex edit -o " + page + ":" + h + ":" + v + ":output.pdf");
        return this;
    }

    /** Runs the queries; each answer is the tool's result records as field maps, in its order. */
    Map<String, List<Map<String, String>>> run() throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("cd " + COMPILE_DIRECTORY + "\n");
        queries.forEach((key, command) -> script.append("echo '@@ ").append(key).append("'\n").append(command).append('\n'));
        String output = HostCommand.output("docker", "run", "--rm", "--network", "none", "--user", "0",
                "--label", "texfarm.test=synctex-tool",
                "-v", build.toAbsolutePath() + ":" + COMPILE_DIRECTORY + ":ro",
                RunningService.IMAGE, "sh", "-c", script.toString());

        Map<String, List<Map<String, String>>> answers = new LinkedHashMap<>();
        List<Map<String, String>> records = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("@@ ")) {
                records = new ArrayList<>();
                answers.put(line.substring(3), records);
            } else if (records != null && line.startsWith("Output:")) {
                records.add(new LinkedHashMap<>());
            } else if (records != null && !records.isEmpty() && line.indexOf(':') > 0) {
                records.getLast().put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1));
            }
        }
        assertThat(answers.keySet()).containsExactlyElementsOf(queries.keySet());
        return answers;
    }
}
