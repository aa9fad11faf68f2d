package org.texfarm.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.texfarm.ImageNotAllowedException;
import org.texfarm.sync.HostAllowList;

/**
 * The service's whole configuration, read once at start-up from environment variables
 * ({@link #fromEnvironment}) and documented in docs/configuration.md.
 *
 * @param port           HTTP port
 * @param listenAddress  address the HTTP server binds to
 * @param publicBaseUrl  base of the output file URLs in compile responses
 * @param dataDir        where compile directories, builds and the instance id live
 * @param sandboxDataDir the same directory as the Docker engine's host sees it (bind mounts use it)
 * @param dockerHost     the Docker engine's address
 * @param groups         the compile groups requests choose from, each with its limits and images
 * @param compile        compile slots and queue of the whole server, and what is not per group
 * @param apiToken       the bearer token every route but {@code /status} requires, or null for none
 * @param imageAliases   image names requests may use for the server's images
 * @param pdfCaching     byte ranges of PDFs for Overleaf's viewer
 * @param conversions    document and PDF conversions
 * @param playground     the playground page and its projects
 */
public record ServiceConfig(
        int port,
        String listenAddress,
        String publicBaseUrl,
        Path dataDir,
        Path sandboxDataDir,
        String dockerHost,
        CompileGroups groups,
        CompileLimits compile,
        RequestLimits requests,
        DownloadPolicy downloads,
        StorageLimits storage,
        PoolSettings pool,
        KeptSandboxSettings kept,
        AgentSettings agent,
        ApiToken apiToken,
        ImageAliases imageAliases,
        PdfCachingSettings pdfCaching,
        ConversionSettings conversions,
        PlaygroundSettings playground) {

    public static final String DEFAULT_IMAGE = "texlive-sandbox:bookworm";
    /** The uid of the image's unprivileged {@code tex} user. */
    public static final int IMAGE_SANDBOX_UID = 10001;

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final int MIN_TOKEN_LENGTH = 16;

    /** The image of a request that names neither a group nor an image. */
    public String defaultImage() {
        return groups.defaultGroup().defaultImage();
    }

    /**
     * The image a request names, after its alias, if it is allowed in {@code group}; the group's
     * default for a name that is null or empty.
     *
     * @throws ImageNotAllowedException when the group does not allow it
     */
    public String image(CompileGroup group, String requested) {
        if (requested == null || requested.isEmpty()) {
            return group.defaultImage();
        }
        String image = imageAliases.resolve(requested);
        if (!group.images().contains(image)) {
            throw new ImageNotAllowedException("image '" + requested + "'"
                    + (image.equals(requested) ? "" : " (alias of '" + image + "')") + " is not allowed in compile group '"
                    + group.name() + "'; allowed: " + String.join(", ", group.images()));
        }
        return image;
    }

    /** The uid compiles run as (the same in every group). */
    public int sandboxUid() {
        return groups.defaultGroup().limits().uid();
    }

    public int sandboxGid() {
        return groups.defaultGroup().limits().gid();
    }

    /** Reads the configuration from environment variables; a bad value throws {@link ConfigException}. */
    public static ServiceConfig fromEnvironment(Map<String, String> variables) {
        Environment env = new Environment(variables);
        int cores = Runtime.getRuntime().availableProcessors();
        int serviceUid = currentUid();

        int port = env.integer("PORT", 3013, 1, 65535);
        String listenAddress = env.string("LISTEN_ADDRESS", "127.0.0.1");
        String publicBaseUrl = publicBaseUrl(env, listenAddress, port);
        Path dataDir = Path.of(env.string("DATA_DIR", defaultDataDir(serviceUid))).toAbsolutePath().normalize();
        Path sandboxDataDir = env.isSet("SANDBOX_DATA_DIR")
                ? Path.of(env.string("SANDBOX_DATA_DIR", null)).toAbsolutePath().normalize()
                : dataDir;
        String dockerHost = env.string("DOCKER_HOST", "unix:///var/run/docker.sock");

        int defaultUid = serviceUid == 0 ? IMAGE_SANDBOX_UID : serviceUid;
        int uid = env.integer("SANDBOX_UID", defaultUid, 1, Integer.MAX_VALUE);
        int gid = env.integer("SANDBOX_GID", serviceUid == 0 ? IMAGE_SANDBOX_UID : currentGid(), 1, Integer.MAX_VALUE);
        if (serviceUid != 0 && uid != serviceUid) {
            throw new ConfigException("SANDBOX_UID=" + uid + " needs the service to run as root (it runs as uid "
                    + serviceUid + "); leave SANDBOX_UID unset to run compiles as uid " + serviceUid);
        }
        CompileGroup serverDefaults = CompileGroupsReader.serverDefaults(env, cores, uid, gid);
        PlaygroundSettings playground = new PlaygroundSettings(env.flag("PLAYGROUND", true),
                env.string("PLAYGROUND_GROUP", "playground"),
                env.seconds("PLAYGROUND_PROJECT_TTL", Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofDays(30)));
        CompileGroups groups = CompileGroupsReader.read(env, serverDefaults, cores,
                playground.enabled() ? playground.group() : null);
        CompileLimits compile = new CompileLimits(
                serverDefaults.maxConcurrent(),
                serverDefaults.queueSize(),
                env.integer("BUILDS_KEPT", 3, 1, 100),
                env.flag("PRECOMPILE_PREAMBLES", true),
                env.integer("PRECOMPILE_PREAMBLES_AFTER", 8, 1, 1000),
                env.seconds("SHUTDOWN_GRACE", Duration.ofSeconds(30), Duration.ZERO, Duration.ofHours(1)),
                env.seconds("HEALTH_CHECK_INTERVAL", Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofDays(1)));

        RequestLimits requests = new RequestLimits(
                env.size("MAX_REQUEST_SIZE", 8 * MIB, 64 * 1024, 4 * GIB),
                env.integer("MAX_RESOURCES", 4000, 1, 1_000_000),
                env.integer("MAX_PATH_LENGTH", 1024, 16, 4096),
                env.integer("MAX_PATH_DEPTH", 32, 1, 256),
                env.seconds("REQUEST_BODY_TIMEOUT", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1)),
                env.size("SYNCTEX_CACHE_SIZE", 128 * MIB, MIB, 64 * GIB),
                env.list("HOST_NAMES"));

        DownloadPolicy downloads = new DownloadPolicy(
                env.list("URL_ALLOWED_HOSTS"),
                env.seconds("URL_CONNECT_TIMEOUT", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(5)),
                env.seconds("URL_DOWNLOAD_TIMEOUT", Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofHours(1)),
                env.size("URL_DOWNLOAD_MAX_SIZE", 256 * MIB, 1024, 64 * GIB),
                env.integer("URL_MAX_REDIRECTS", 5, 0, 20),
                env.integer("URL_DOWNLOAD_RETRIES", 2, 0, 10),
                env.seconds("URL_RETRY_BACKOFF", Duration.ofMillis(200), Duration.ZERO, Duration.ofMinutes(1)),
                originOverride(env));

        StorageLimits storage = new StorageLimits(
                env.seconds("PROJECT_TTL", Duration.ofDays(1), Duration.ofSeconds(1), Duration.ofDays(3650)),
                env.seconds("URL_CACHE_TTL", Duration.ofDays(7), Duration.ofSeconds(1), Duration.ofDays(3650)),
                env.seconds("UPLOAD_TTL", Duration.ofDays(1), Duration.ofSeconds(1), Duration.ofDays(365)),
                env.size("MAX_UPLOAD_SIZE", 64 * MIB, 1024, 4 * GIB),
                env.size("DISK_MIN_FREE", GIB, 0, 1L << 50),
                env.seconds("HOUSEKEEPING_INTERVAL", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1)),
                env.pattern("SYNC_KEEP_PATTERN"),
                playground);

        int poolSize = env.integer("SANDBOX_POOL_SIZE", compile.maxConcurrent(), 0, 1024);
        PoolSettings pool = new PoolSettings(poolSize,
                env.integer("SANDBOX_POOL_MIN", Math.min(1, poolSize), 0, poolSize),
                env.seconds("SANDBOX_POOL_IDLE", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1)));

        KeptSandboxSettings kept = new KeptSandboxSettings(
                env.integer("KEPT_SANDBOXES", 4 * compile.maxConcurrent(), 0, 1024),
                env.seconds("KEPT_SANDBOX_IDLE", Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofDays(1)),
                env.size("KEPT_SANDBOX_MEMORY", 512 * MIB, 0, 1L << 50),
                Path.of(env.string("SANDBOX_CGROUP_ROOT", "/sys/fs/cgroup")));

        AgentSettings agent = new AgentSettings(env.integer("AGENT_PORT", 3048, 0, 65535),
                env.string("AGENT_LISTEN_ADDRESS", listenAddress), env.flag("AGENT_REPORT_LOAD", true));

        String secret = env.string("API_TOKEN", null);
        if (secret != null && secret.length() < MIN_TOKEN_LENGTH) {
            throw new ConfigException("API_TOKEN must be at least " + MIN_TOKEN_LENGTH + " characters long, not "
                    + secret.length() + ": make it a random secret (openssl rand -hex 32)");
        }
        ApiToken apiToken = secret == null ? null : new ApiToken(secret);

        PdfCachingSettings pdfCaching = new PdfCachingSettings(env.flag("PDF_CACHING", true),
                env.integer("PDF_CACHING_MIN_CHUNK_SIZE", 1024, 1, Integer.MAX_VALUE),
                env.seconds("PDF_CACHING_MAX_TIME", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(10)));

        String conversionGroup = env.string("CONVERSION_GROUP", groups.defaultGroup().name());
        ConversionSettings conversions = new ConversionSettings(env.flag("DOCUMENT_CONVERSIONS", true),
                env.flag("PDF_CONVERSIONS", true),
                env.string("CONVERSION_IMAGE", ConversionSettings.DEFAULT_IMAGE),
                groups.named(conversionGroup).orElseThrow(() -> new ConfigException("CONVERSION_GROUP names '"
                        + conversionGroup + "', which is not a compile group; groups: " + String.join(", ", groups.byName().keySet()))),
                env.seconds("CONVERSION_TIMEOUT", Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofHours(1)));

        return new ServiceConfig(port, listenAddress, publicBaseUrl, dataDir, sandboxDataDir, dockerHost,
                groups, compile, requests, downloads, storage, pool, kept, agent, apiToken,
                ImageAliases.parse("IMAGE_ALIASES", env.list("IMAGE_ALIASES")), pdfCaching, conversions, playground);
    }

    /** {@code FILESTORE_DOMAIN_OVERRIDE}, CLSI's name: an origin only, {@code http(s)://host[:port]}. */
    private static URI originOverride(Environment env) {
        String name = "FILESTORE_DOMAIN_OVERRIDE";
        String text = env.string(name, null);
        if (text == null) {
            return null;
        }
        URI origin;
        try {
            origin = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (URISyntaxException e) {
            throw new ConfigException(name + " must be an origin such as http://filestore:3009, not '" + text + "'");
        }
        boolean web = "http".equals(origin.getScheme()) || "https".equals(origin.getScheme());
        if (!web || origin.getHost() == null || !(origin.getRawPath() == null || origin.getRawPath().isEmpty())
                || origin.getRawQuery() != null || origin.getRawUserInfo() != null) {
            throw new ConfigException(name + " must be an origin such as http://filestore:3009 (scheme, host, port;"
                    + " no path), not '" + text + "'");
        }
        if (!new HostAllowList(env.list("URL_ALLOWED_HOSTS")).mayName(origin.getHost())) {
            throw new ConfigException(name + " names the host '" + origin.getHost()
                    + "', which URL_ALLOWED_HOSTS does not list: add it there");
        }
        return origin;
    }

    private static String publicBaseUrl(Environment env, String listenAddress, int port) {
        if (!env.isSet("PUBLIC_BASE_URL")) {
            String host = switch (listenAddress) {
                case "0.0.0.0", "::", "[::]" -> "localhost";
                default -> listenAddress.contains(":") ? "[" + listenAddress + "]" : listenAddress;
            };
            return "http://" + host + ":" + port;
        }
        String url = env.string("PUBLIC_BASE_URL", null);
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException("PUBLIC_BASE_URL must be an http(s) URL, not '" + url + "'");
            }
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException("PUBLIC_BASE_URL must be an http(s) URL, not '" + url + "'");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String defaultDataDir(int uid) {
        return uid == 0 ? "/var/lib/compile-service"
                : Path.of(System.getProperty("user.home"), ".local", "share", "compile-service").toString();
    }

    /** The uid the service runs as. */
    public static int currentUid() {
        return procSelfAttribute("unix:uid");
    }

    static int currentGid() {
        return procSelfAttribute("unix:gid");
    }

    private static int procSelfAttribute(String attribute) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), attribute);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ConfigException("cannot tell which user the service runs as (" + e.getMessage()
                    + "); the service needs Linux");
        }
    }
}
