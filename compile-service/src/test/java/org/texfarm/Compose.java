package org.texfarm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code docker-compose} (1.29) on one of the repository's Compose files, as one project
 * with its own name and settings; {@link #close} takes the project down with its volumes.
 */
final class Compose implements AutoCloseable {
    static final Path REPOSITORY = Path.of(System.getProperty("user.dir")).getParent();

    private final String project;
    private final List<Path> files;
    private final Map<String, String> settings;

    Compose(String project, Map<String, String> settings, Path... files) {
        this.project = project;
        this.files = List.of(files);
        this.settings = new LinkedHashMap<>(settings);
    }

    /** Runs one of the repository's image scripts (compile-service/image, sandbox-images/build) and returns the image it names last. */
    static String imageBuiltBy(String script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(REPOSITORY.resolve(script).toString()));
        command.addAll(List.of(arguments));
        String output = HostCommand.output(command.toArray(String[]::new)).strip();
        return output.substring(output.lastIndexOf('\n') + 1);
    }

    /** Runs {@code docker-compose <arguments>}; returns its output, or fails with it. */
    String run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--project-name", project,
                "--env-file", REPOSITORY.resolve(".env.example").toString()));
        for (Path file : files) {
            command.add("--file");
            command.add(file.toString());
        }
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPOSITORY.toFile()).redirectErrorStream(true);
        builder.environment().putAll(settings);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    /**
     * The lines of one service in {@code docker-compose config}'s canonical output, indented under
     * its name.
     */
    static List<String> serviceBlock(String config, String service) {
        List<String> block = new ArrayList<>();
        boolean inServices = false;
        boolean inService = false;
        for (String line : config.split("\n")) {
            if (!line.startsWith(" ")) {
                inServices = line.equals("services:");
                inService = false;
            } else if (inServices && line.startsWith("  ") && !line.startsWith("   ")) {
                inService = line.equals("  " + service + ":");
            } else if (inService) {
                block.add(line.strip());
            }
        }
        return block;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("down", "--volumes", "--timeout", "10");
    }
}
