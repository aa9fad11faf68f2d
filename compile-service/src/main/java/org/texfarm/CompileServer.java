package org.texfarm;

import com.github.dockerjava.api.DockerClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.api.CompileRoutes;
import org.texfarm.compile.CompileService;
import org.texfarm.config.ServiceConfig;
import org.texfarm.output.BuildStore;
import org.texfarm.sandbox.DockerEngine;
import org.texfarm.sandbox.DockerSandbox;
import org.texfarm.sync.Ownership;
import org.texfarm.sync.ProjectSync;
import org.texfarm.sync.SafeFiles;
import org.texfarm.sync.UrlFetcher;

/**
 * The running service: checks that it can compile (engine reachable, image present), clears what
 * an earlier run of this instance left behind, and only then opens its HTTP port.
 */
public final class CompileServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CompileServer.class);

    private final Vertx vertx;
    private final HttpServer http;
    private final DockerClient docker;
    private final ExecutorService compileExecutor;
    private final ScheduledExecutorService timer;
    private final String instanceId;

    private CompileServer(Vertx vertx, HttpServer http, DockerClient docker, ExecutorService compileExecutor,
                          ScheduledExecutorService timer, String instanceId) {
        this.vertx = vertx;
        this.http = http;
        this.docker = docker;
        this.compileExecutor = compileExecutor;
        this.timer = timer;
        this.instanceId = instanceId;
    }

    /** Starts the service; returns once it listens. Fails with a message that says what is missing. */
    public static CompileServer start(ServiceConfig config) throws IOException, InterruptedException {
        Files.createDirectories(config.dataDir());
        String instanceId = instanceId(config.dataDir());
        DockerClient docker = DockerEngine.connect(config.dockerHost(), 2 * config.compile().maxConcurrent() + 8);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2,
                Thread.ofPlatform().name("sandbox-timer-", 0).daemon().factory());
        ExecutorService compileExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("compile-", 0).factory());
        Vertx vertx = null;
        try {
            DockerEngine.checkReady(docker, config.dockerHost(), config.allowedImages());
            DockerSandbox sandbox = new DockerSandbox(docker, instanceId, config.dataDir(), config.sandboxDataDir(), timer);
            int removed = sandbox.removeLeftovers();
            if (removed > 0) {
                log.info("removed {} container(s) left by an earlier run of instance {}", removed, instanceId);
            }
            Path compiles = config.dataDir().resolve("compiles");
            removeTemporaryFiles(config.dataDir());

            UrlFetcher fetcher = new UrlFetcher(config.downloads(), timer);
            Ownership ownership = Ownership.forSandbox(config.sandbox().uid(), config.sandbox().gid(),
                    ServiceConfig.currentUid());
            BuildStore builds = new BuildStore(config.dataDir().resolve("builds"), config.compile().buildsKept());
            CompileService compileService = new CompileService(compiles, config.compile().maxConcurrent(),
                    config.compile().queueCapacity(), config.sandbox(), new ProjectSync(fetcher, ownership), sandbox,
                    builds, Clock.systemUTC());
            CompileRoutes routes = new CompileRoutes(config, compileService, builds, fetcher, compileExecutor);

            vertx = Vertx.vertx();
            HttpServer http = vertx.createHttpServer(new HttpServerOptions()
                            .setHost(config.listenAddress())
                            .setPort(config.port())
                            .setCompressionSupported(true))
                    .requestHandler(routes.router(vertx))
                    .listen()
                    .await();
            log.info("compile service {} listening on {}:{} (image {}, data {})", instanceId, config.listenAddress(),
                    http.actualPort(), config.defaultImage(), config.dataDir());
            return new CompileServer(vertx, http, docker, compileExecutor, timer, instanceId);
        } catch (Throwable e) {
            if (vertx != null) {
                vertx.close().await();
            }
            compileExecutor.shutdownNow();
            timer.shutdownNow();
            docker.close();
            throw e;
        }
    }

    public int port() {
        return http.actualPort();
    }

    public String instanceId() {
        return instanceId;
    }

    @Override
    public void close() throws IOException {
        vertx.close().await();
        compileExecutor.shutdownNow();
        timer.shutdownNow();
        docker.close();
    }

    /** The id that labels this instance's containers: kept in the data directory, so it survives restarts. */
    private static String instanceId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("instance-id");
        if (SafeFiles.isRealFile(file)) {
            String id = Files.readString(file).trim();
            if (id.matches("[0-9a-f]{12}")) {
                return id;
            }
        }
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        SafeFiles.writeAtomically(file, new java.io.ByteArrayInputStream((id + "\n").getBytes()));
        return id;
    }

    /** Half-written files of an earlier run (temp files and staged builds) that were never renamed into place. */
    private static void removeTemporaryFiles(Path dataDir) throws IOException {
        Path builds = dataDir.resolve("builds");
        if (!Files.isDirectory(builds)) {
            return;
        }
        try (var stream = Files.find(builds, 4, (path, attrs) -> path.getFileName().toString().startsWith(".tmp-"))) {
            for (Path leftover : stream.toList()) {
                SafeFiles.deleteRecursively(leftover);
            }
        }
    }
}
