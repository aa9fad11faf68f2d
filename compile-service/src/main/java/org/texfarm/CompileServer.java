package org.texfarm;

import com.github.dockerjava.api.DockerClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.api.CompileRoutes;
import org.texfarm.balancer.LoadAgent;
import org.texfarm.compile.CompileService;
import org.texfarm.compile.Storage;
import org.texfarm.config.SandboxLimits;
import org.texfarm.config.ServiceConfig;
import org.texfarm.health.HealthCheck;
import org.texfarm.convert.Conversions;
import org.texfarm.output.BuildStore;
import org.texfarm.output.PdfChunks;
import org.texfarm.sandbox.DockerEngine;
import org.texfarm.sandbox.DockerSandbox;
import org.texfarm.sandbox.ImageDescription;
import org.texfarm.sync.ContentStore;
import org.texfarm.sync.KeepBetweenRuns;
import org.texfarm.sync.Ownership;
import org.texfarm.sync.ProjectStates;
import org.texfarm.sync.ProjectSync;
import org.texfarm.sync.SafeFiles;
import org.texfarm.sync.UrlCache;
import org.texfarm.sync.UrlFetcher;
import org.texfarm.synctex.SyncTexLookup;

/**
 * The running service: checks that it can compile (engine reachable, image present), clears what
 * an earlier run of this instance left behind, and only then opens its HTTP port.
 */
public final class CompileServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CompileServer.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final HttpServer http;
    private final int agentPort;
    private final DockerClient docker;
    private final DockerSandbox sandbox;
    private final CompileService compiles;
    private final CompileRoutes routes;
    private final Duration shutdownGrace;
    private final ExecutorService compileExecutor;
    private final ExecutorService background;
    private final ScheduledExecutorService timer;
    private final JvmGcMetrics gcMetrics;
    private final DataDirectory data;

    private CompileServer(Vertx vertx, HttpServer http, int agentPort, DockerClient docker, DockerSandbox sandbox,
                          CompileService compiles, CompileRoutes routes, Duration shutdownGrace,
                          ExecutorService compileExecutor, ExecutorService background, ScheduledExecutorService timer,
                          JvmGcMetrics gcMetrics, DataDirectory data) {
        this.vertx = vertx;
        this.http = http;
        this.agentPort = agentPort;
        this.docker = docker;
        this.sandbox = sandbox;
        this.compiles = compiles;
        this.routes = routes;
        this.shutdownGrace = shutdownGrace;
        this.compileExecutor = compileExecutor;
        this.background = background;
        this.timer = timer;
        this.gcMetrics = gcMetrics;
        this.data = data;
    }

    /** Starts the service; returns once it listens. Fails with a message that says what is missing. */
    public static CompileServer start(ServiceConfig config) throws IOException, InterruptedException {
        DataDirectory data = DataDirectory.open(config.dataDir());
        // A connection per running compile and per warm container (each waits on its container), and spare ones.
        // Groups with the same limits and image share their warm containers.
        // The playground's sandboxes start when a visitor compiles: no container waits for a demo.
        List<Map.Entry<String, SandboxLimits>> warmKinds = config.groups().all().stream()
                .filter(group -> !(config.playground().enabled() && group.name().equals(config.playground().group())))
                .map(group -> Map.entry(group.defaultImage(), group.limits())).distinct().toList();
        DockerClient docker = DockerEngine.connect(config.dockerHost(),
                2 * config.compile().maxConcurrent() + 2 * config.pool().size() * warmKinds.size() + 16);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2,
                Thread.ofPlatform().name("sandbox-timer-", 0).daemon().factory());
        ExecutorService compileExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("compile-", 0).factory());
        ExecutorService background = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("sandbox-", 0).factory());
        Vertx vertx = null;
        DockerSandbox sandbox = null;
        try {
            checkFree(config.listenAddress(), config.port(), "PORT");
            checkFree(config.agent().listenAddress(), config.agent().port(), "AGENT_PORT");
            List<ImageDescription> images = DockerEngine.checkReady(docker, config.dockerHost(), config.groups().images(),
                    config.groups().runtimes());
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            JvmGcMetrics gcMetrics = bindJvmMetrics(registry);
            Clock clock = Clock.systemUTC();
            sandbox = new DockerSandbox(docker, data.instanceId(), data.slots(),
                    config.sandboxDataDir().resolve(config.dataDir().relativize(data.slots())), config.groups().maxTimeout(),
                    config.pool(), config.kept(), timer, background, clock, registry);
            int removed = sandbox.removeLeftovers();
            if (removed > 0) {
                log.info("removed {} container(s) left by an earlier run of instance {}", removed, data.instanceId());
            }
            removeStagedBuilds(data.builds());
            SafeFiles.deleteRecursively(data.scratch());
            Files.createDirectories(data.scratch());
            for (Map.Entry<String, SandboxLimits> kind : warmKinds) {
                sandbox.prewarm(kind.getKey(), kind.getValue(), config.pool().size());
            }

            int serviceUid = ServiceConfig.currentUid();
            // Hard links are safe only when the sandbox runs as a user that does not own the blobs.
            boolean hardLinks = serviceUid != config.sandboxUid();
            ContentStore store = ContentStore.open(data.store(), hardLinks, clock, registry);
            UrlFetcher fetcher = new UrlFetcher(config.downloads(), timer);
            UrlCache urls = new UrlCache(fetcher, store, data.urlCache(), clock, registry);
            ProjectStates states = new ProjectStates(data.states());
            ProjectSync sync = new ProjectSync(store, urls, states, new KeepBetweenRuns(config.storage().keepPattern()),
                    Ownership.forSandbox(config.sandboxUid(), config.sandboxGid(), serviceUid), clock,
                    config.storage().uploadLifetime(), registry);
            BuildStore builds = new BuildStore(data.builds(), config.compile().buildsKept(), background);
            PdfChunks pdfChunks = new PdfChunks(builds, config.compile().buildsKept(), clock, System::nanoTime);
            Storage storage = new Storage(data.compiles(), sync, states, store, urls, builds, pdfChunks, data.scratch(),
                    data::freeBytes);
            CompileService compileService = new CompileService(config.compile(), config.groups(), config.storage(),
                    config.pdfCaching(), storage, sandbox, clock, registry);
            LoadAgent agent = new LoadAgent(config.agent().reportLoad() ? compileService::load : () -> 0.0,
                    compileService::diskHeadroom, compileService::isDraining);
            HealthCheck health = new HealthCheck(compileService, sandbox::engineAnswers, config.groups().defaultGroup(), clock);
            long healthInterval = config.compile().healthCheckInterval().toMillis();
            timer.scheduleWithFixedDelay(() -> compileExecutor.execute(() -> runHealthCheck(health)),
                    healthInterval, healthInterval, TimeUnit.MILLISECONDS);
            SyncTexLookup syncTex = new SyncTexLookup(builds, DockerSandbox.COMPILE_DIRECTORY,
                    config.requests().syncTexCacheBytes(), registry);
            if (config.conversions().any() && !DockerEngine.hasImage(docker, config.conversions().image())) {
                log.warn("conversions are on, but their image {} is not present: they will fail until it is built"
                        + " (sandbox-images/build conversions), or set DOCUMENT_CONVERSIONS=false and PDF_CONVERSIONS=false",
                        config.conversions().image());
            }
            Conversions conversions = new Conversions(config.conversions(), compileService, sandbox, storage, clock, timer);
            CompileRoutes routes = new CompileRoutes(config, compileService, storage, fetcher, syncTex, registry,
                    compileExecutor, agent, health, images, conversions);
            long interval = config.storage().housekeepingInterval().toMillis();
            timer.scheduleWithFixedDelay(() -> housekeeping(compileService), interval, interval, TimeUnit.MILLISECONDS);

            vertx = Vertx.vertx();
            HttpServer http = vertx.createHttpServer(new HttpServerOptions()
                            .setHost(config.listenAddress())
                            .setPort(config.port())
                            .setCompressionSupported(true))
                    .requestHandler(routes.router(vertx))
                    .listen()
                    .await();
            int agentPort = agent.start(vertx, config.agent());
            log.info("compile service {} listening on {}:{}, load agent on {}:{} (groups {}, default {} on {}; data {}, blobs {})",
                    data.instanceId(), config.listenAddress(), http.actualPort(), config.agent().listenAddress(), agentPort,
                    String.join(", ", config.groups().byName().keySet()), config.groups().defaultGroup().name(),
                    config.defaultImage(), config.dataDir(), hardLinks ? "hard-linked" : "copied");
            return new CompileServer(vertx, http, agentPort, docker, sandbox, compileService, routes,
                    config.compile().shutdownGrace(), compileExecutor, background, timer, gcMetrics, data);
        } catch (Throwable e) {
            if (vertx != null) {
                vertx.close().await();
            }
            if (sandbox != null) {
                sandbox.close();
            }
            compileExecutor.shutdownNow();
            background.shutdownNow();
            timer.shutdownNow();
            docker.close();
            data.close();
            throw e;
        }
    }

    /**
     * Fails with a one-line message when another process listens on the port, before this
     * service starts anything; port 0 is any free one.
     */
    private static void checkFree(String address, int port, String setting) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + address + " is in use (another compile service?): "
                    + "stop it, or set " + setting + " to a free port");
        }
    }

    public int port() {
        return http.actualPort();
    }

    /** The port of the load-balancer agent. */
    public int agentPort() {
        return agentPort;
    }

    public String instanceId() {
        return data.instanceId();
    }

    @Override
    /**
     * Stops: refuses new compiles at once (503), lets running ones finish and be answered for up to
     * the shutdown grace, stops those still running (answered {@code terminated}), then closes.
     */
    public void close() throws IOException {
        log.info("stopping: new compiles are refused; waiting up to {} s for the running ones", shutdownGrace.toSeconds());
        compiles.drain();
        try {
            if (!routes.awaitIdle(shutdownGrace)) {
                log.info("stopping the compiles still running after {} s", shutdownGrace.toSeconds());
                compiles.stopAll();
                routes.awaitIdle(SHUTDOWN_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        vertx.close().await();
        compileExecutor.shutdownNow();
        compiles.close();
        // Stopped compiles hand their sandboxes back before the sandbox flushes its removals.
        awaitTermination(compileExecutor);
        sandbox.close();
        background.shutdown();
        // Let running removals of finished containers end, so none is left behind.
        awaitTermination(background);
        int swept = sandbox.removeLeftovers();
        if (swept > 0) {
            log.info("removed {} container(s) still there at shutdown", swept);
        }
        timer.shutdownNow();
        docker.close();
        gcMetrics.close();
        data.close();
        log.info("stopped");
    }

    private static void awaitTermination(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("work still running {} after shutdown began", SHUTDOWN_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Binds the JVM's metrics; returns the GC metrics, which listen for collections until closed. */
    private static JvmGcMetrics bindJvmMetrics(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }

    private static void runHealthCheck(HealthCheck health) {
        try {
            HealthCheck.Report report = health.run();
            if (!report.healthy()) {
                log.warn("health check failed: {}", report.checks());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void housekeeping(CompileService compiles) {
        try {
            compiles.housekeeping();
        } catch (IOException | RuntimeException e) {
            log.warn("housekeeping failed: {}", e.toString());
        }
    }

    /** Builds an earlier run was copying when it stopped: never renamed into place, so never served. */
    private static void removeStagedBuilds(Path builds) throws IOException {
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
