package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Compose files as Compose reads them: both valid with every variable of .env.example, and
 * Overleaf's container wired to this service the way Overleaf's own settings read it (its images
 * cannot be pulled here, so the stack itself is not started; ScaleOutIT runs the scale-out one).
 */
class ComposeStackIT {
    private static final Path MAIN = Compose.REPOSITORY.resolve("docker-compose.yml");
    private static final Path SCALE = Compose.REPOSITORY.resolve("compile-service/deploy/docker-compose.scale.yml");
    private static final Path TLS = Compose.REPOSITORY.resolve("compile-service/deploy/docker-compose.tls.yml");

    private static String config(Path file) throws Exception {
        return new Compose("texfarm-config-check", Map.of(), file).run("config");
    }

    @Test
    void everyFileIsValidCompose() throws Exception {
        new Compose("texfarm-config-check", Map.of(), MAIN).run("config", "--quiet");
        new Compose("texfarm-config-check", Map.of(), MAIN, TLS).run("config", "--quiet");
        new Compose("texfarm-config-check", Map.of(), SCALE).run("config", "--quiet");
        new Compose("texfarm-config-check", Map.of(), MAIN).run("--profile", "git-bridge", "config", "--quiet");
    }

    @Test
    void documentsEveryVariableTheComposeFilesReadInTheEnvExample() throws Exception {
        String example = Files.readString(Compose.REPOSITORY.resolve(".env.example"));
        String settings = (Files.readString(MAIN) + Files.readString(SCALE) + Files.readString(TLS)).lines()
                .filter(line -> !line.strip().startsWith("#")).collect(Collectors.joining("\n"));
        Matcher variables = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(settings);
        int found = 0;
        while (variables.find()) {
            found++;
            assertThat(example).as("the variable " + variables.group(1)).containsPattern("(?m)^" + variables.group(1) + "=");
        }
        assertThat(found).isGreaterThan(20);
    }

    @Test
    void givesHAProxyConfigurationsItAccepts() throws Exception {
        String image = Compose.imageBuiltBy("sandbox-images/build", "haproxy");
        for (String config : List.of("haproxy-front.cfg", "haproxy-scale.cfg")) {
            HostCommand.run("docker", "run", "--rm", "--network", "none", "-v",
                    Compose.REPOSITORY.resolve("compile-service/deploy").resolve(config) + ":/etc/haproxy-check.cfg:ro",
                    image, "haproxy", "-c", "-f", "/etc/haproxy-check.cfg");
        }
    }

    @Test
    void pointsOverleafsWebAtThisServiceAsItsSettingsReadIt() throws Exception {
        List<String> sharelatex = Compose.serviceBlock(config(MAIN), "sharelatex");

        // Web's settings: apis.clsi.url = `http://${process.env.CLSI_HOST}:3013`; CE's runit scripts
        // source /etc/overleaf/env.sh, which sets CLSI_HOST, so the stack mounts its own over it.
        assertThat(sharelatex).contains("CLSI_HOST: compile-service", "TEXFARM_CLSI_HOST: compile-service",
                "CLSI_PORT: '3013'");
        assertThat(sharelatex).anySatisfy(line -> assertThat(line).endsWith(":/etc/overleaf/env.sh:ro"));
        String env = Files.readString(Compose.REPOSITORY.resolve("compile-service/deploy/overleaf-env.sh"));
        assertThat(env).contains("export CLSI_HOST=${TEXFARM_CLSI_HOST:-compile-service}", "export HISTORY_V1_HOST=127.0.0.1",
                "export FILESTORE_HOST=${TEXFARM_FILESTORE_HOST:-sharelatex}");
        // Web names files on the sharelatex service; its filestore listens on the stack's network,
        // and the compile service fetches from it, and from it only.
        assertThat(sharelatex).anySatisfy(line -> assertThat(line).endsWith(":/etc/service/filestore-overleaf/run:ro"));
        assertThat(Files.readString(Compose.REPOSITORY.resolve("compile-service/deploy/filestore-run")))
                .contains("export LISTEN_ADDRESS=0.0.0.0", "services/filestore/app.js");
        assertThat(sharelatex).contains("OVERLEAF_MONGO_URL: mongodb://mongo/sharelatex?replicaSet=overleaf",
                "OVERLEAF_REDIS_HOST: redis");

        List<String> service = Compose.serviceBlock(config(MAIN), "compile-service");
        assertThat(service).contains("- /var/run/docker.sock:/var/run/docker.sock:rw",
                "PUBLIC_BASE_URL: http://compile-service:3013", "- /var/lib/texfarm:/var/lib/texfarm:rw",
                "URL_ALLOWED_HOSTS: sharelatex");
        assertThat(Compose.serviceBlock(config(MAIN), "mongo")).anySatisfy(line -> assertThat(line).contains("--replSet overleaf"));
    }

    @Test
    void publishesOnlyTheFrontsPortAndTheScaleOutPortsOnlyOnLoopback() throws Exception {
        String main = config(MAIN);
        for (String service : List.of("sharelatex", "compile-service", "mongo", "redis", "git-bridge")) {
            assertThat(Compose.serviceBlock(main, service)).as(service).doesNotContain("ports:");
        }
        assertThat(Compose.serviceBlock(main, "proxy")).contains("ports:", "- published: 80");

        String scale = config(SCALE);
        for (String service : List.of("compile-1", "compile-2", "compile-lb")) {
            assertThat(Compose.serviceBlock(scale, service)).as(service)
                    .filteredOn(line -> line.matches("- [0-9.:]+:[0-9]+/tcp"))
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line).startsWith("- 127.0.0.1:"));
        }
    }
}
