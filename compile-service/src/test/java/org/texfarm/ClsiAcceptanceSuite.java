package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.texfarm.sync.SafeFiles;

/**
 * Overleaf's CLSI acceptance suite as a folder such as {@code ../shared/clsi-acceptance} holds it (see its
 * README.md): {@code setup.sh} prepares a work directory (Overleaf's tests, their npm packages, the host tools
 * they compare PDFs with), {@code run.sh} runs mocha from it against a service's URL.
 */
record ClsiAcceptanceSuite(Path dir) {
    static final String SETTING = "CLSI_ACCEPTANCE_DIR";
    private static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "texfarm", "clsi-acceptance");
    /** What setup.sh makes its work directory from: a change to any of them prepares a new one. */
    private static final List<String> SETUP_INPUTS =
            List.of("overleaf-clsi.tar.gz", "overleaf-revision.txt", "setup.sh", "list-reporter.cjs");
    private static final String PREPARED = "prepared";
    private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    /**
     * The suite named by {@value #SETTING} (system property, else environment variable), else
     * {@code shared/clsi-acceptance} beside the repository's directory; without it the test is skipped.
     */
    static ClsiAcceptanceSuite locate() {
        String setting = System.getProperty(SETTING, System.getenv(SETTING));
        Path dir = (setting != null ? Path.of(setting) : Compose.REPOSITORY.resolveSibling("shared/clsi-acceptance"))
                .toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(dir.resolve("run.sh")), () -> "Overleaf's CLSI acceptance suite is not at " + dir
                + ": put the clsi-acceptance folder (setup.sh, run.sh, overleaf-clsi.tar.gz, compile-groups.json,"
                + " list-reporter.cjs) there, or name its place with " + SETTING
                + " (environment variable or -D" + SETTING + "=...)");
        return new ClsiAcceptanceSuite(dir);
    }

    /** The compile groups the tests name ({@code clsi-perf}, {@code simple-latex-file}) beside the default ones. */
    Path compileGroups() {
        return dir.resolve("compile-groups.json");
    }

    /**
     * A work directory setup.sh has finished, from the cache under {@code ~/.cache} when a run prepared one from
     * the same inputs before, else prepared now (about 1.5 minutes) with its output in {@code setupLog}.
     */
    Path prepared(Path setupLog) throws IOException, InterruptedException {
        Path entry = CACHE.resolve(setupInputsHash());
        if (Files.isRegularFile(entry.resolve(PREPARED))) {
            return entry.toRealPath();
        }
        SafeFiles.deleteRecursively(entry); // a link to a directory deleted since
        Files.createDirectories(CACHE);
        Path staging = Files.createTempDirectory(CACHE, entry.getFileName() + "." + ProcessHandle.current().pid() + "-");
        boolean published = false;
        try (Writer log = Files.newBufferedWriter(setupLog)) {
            // setup.sh stages ImageMagick, Ghostscript and poppler with apt-get download: it needs current package lists.
            assertThat(HostCommand.logged(List.of("apt-get", "update"), Map.of(), SETUP_TIMEOUT, log))
                    .as("apt-get update; see " + setupLog).isZero();
            assertThat(HostCommand.logged(List.of(dir.resolve("setup.sh").toString(), staging.toString()), Map.of(),
                    SETUP_TIMEOUT, log)).as("setup.sh; see " + setupLog).isZero();
            Files.writeString(staging.resolve(PREPARED), Instant.now() + "\n");
            // setup.sh writes the directory's absolute path into it (the host tools' env.sh and links), so it cannot
            // be renamed into place: a link to it is, atomically, and only once it is complete.
            Files.createSymbolicLink(entry, staging.getFileName());
            published = true;
        } catch (FileAlreadyExistsException e) {
            // Another run was quicker: its directory serves.
        } finally {
            if (!published) {
                SafeFiles.deleteRecursively(staging);
            }
        }
        deleteAbandoned(entry);
        return entry.toRealPath();
    }

    /**
     * Runs the suite against {@code url}, whose default image is {@code image}; its output goes to the test's and
     * to {@code output}, every test's state to {@code results}. Mocha's exit code, the number of failed tests, is
     * not checked: the results say more.
     */
    void run(Path work, String url, String image, Path results, Path output) throws IOException, InterruptedException {
        try (Writer log = Files.newBufferedWriter(output)) {
            HostCommand.logged(List.of(dir.resolve("run.sh").toString(), work.toString(), url),
                    Map.of("RESULTS_JSON", results.toAbsolutePath().toString(), "TEXLIVE_IMAGE", image),
                    RUN_TIMEOUT, log);
        }
    }

    private String setupInputsHash() throws IOException {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String name : SETUP_INPUTS) {
                sha256.update(Files.readAllBytes(dir.resolve(name)));
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Work directories of this entry that runs killed while preparing them left behind: their process is gone. */
    private static void deleteAbandoned(Path entry) throws IOException {
        Path published = entry.toRealPath().getFileName();
        Pattern staging = Pattern.compile(Pattern.quote(entry.getFileName() + ".") + "(\\d+)-\\d+");
        try (Stream<Path> siblings = Files.list(CACHE)) {
            for (Path sibling : siblings.toList()) {
                Matcher name = staging.matcher(sibling.getFileName().toString());
                if (name.matches() && !sibling.getFileName().equals(published)
                        && ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty()) {
                    SafeFiles.deleteRecursively(sibling);
                }
            }
        }
    }
}
