package org.texfarm.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.texfarm.ImageNotAllowedException;
import org.texfarm.InvalidRequestException;
import org.texfarm.ProjectKey;
import org.texfarm.compile.CompileOptions;
import org.texfarm.compile.CompileRequest;
import org.texfarm.config.ConfigException;
import org.texfarm.config.ServiceConfig;
import org.texfarm.sync.Resource;
import org.texfarm.sync.UrlFetcher;

/**
 * Request validation: listed cases, and generated compile bodies (a fixed seed, so a failure
 * repeats), each taken whole and valid or refused with a message; nothing else ever escapes.
 */
class CompileRequestParserTest {
    private static final long SEED = 20261126L;
    private static final ServiceConfig CONFIG = ServiceConfig.fromEnvironment(Map.of("DATA_DIR", "/tmp/unused",
            "URL_ALLOWED_HOSTS", "files.example.org"));
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();
    private static final CompileRequestParser PARSER = new CompileRequestParser(CONFIG, new UrlFetcher(CONFIG.downloads(), TIMER));
    private static final List<Object> ODD_VALUES = List.of("", "x", -1, 0, 1.5, 1e300, true, "\u0000", "\ud800",
            "../x", "/etc/passwd", "a\\b", new JsonObject(), new JsonArray(), "x".repeat(5000), "pdflatex", "lualatex",
            "nosuchtex", "http://files.example.org/a.png", "http://169.254.169.254/", "file:///etc/passwd");
    private static final List<String> OPTION_NAMES = List.of("compiler", "timeout", "imageName", "draft", "stopOnFirstError",
            "flags", "check", "syncType", "syncState", "buildId", "clean", "compileGroup", "enablePdfCaching",
            "pdfCachingMinChunkSize");
    private static final List<String> RESOURCE_FIELDS = List.of("path", "content", "url", "modified", "hash", "encoding",
            "fallbackURL");

    @AfterAll
    static void stopTimer() {
        TIMER.shutdownNow();
    }

    static Stream<JsonObject> generatedBodies() {
        Random random = new Random(SEED);
        return IntStream.range(0, 2000).mapToObj(i -> body(random));
    }

    private static Object odd(Random random) {
        return ODD_VALUES.get(random.nextInt(ODD_VALUES.size()));
    }

    private static JsonObject body(Random random) {
        JsonObject options = new JsonObject().put("compiler", "pdflatex").put("timeout", 60);
        for (int i = random.nextInt(4); i > 0; i--) {
            options.put(OPTION_NAMES.get(random.nextInt(OPTION_NAMES.size())), odd(random));
        }
        JsonArray resources = new JsonArray();
        int count = random.nextInt(6);
        for (int r = 0; r < count; r++) {
            JsonObject resource = new JsonObject().put("path", r == 0 ? "main.tex" : "file" + r + ".tex").put("content", "x");
            for (int i = random.nextInt(3); i > 0; i--) {
                resource.put(RESOURCE_FIELDS.get(random.nextInt(RESOURCE_FIELDS.size())), odd(random));
            }
            resources.add(random.nextInt(30) == 0 ? odd(random) : resource);
        }
        JsonObject compile = new JsonObject()
                .put("options", random.nextInt(30) == 0 ? odd(random) : options)
                .put("rootResourcePath", random.nextInt(8) == 0 ? odd(random) : "main.tex")
                .put("resources", random.nextInt(30) == 0 ? odd(random) : resources);
        return new JsonObject().put("compile", random.nextInt(40) == 0 ? odd(random) : compile);
    }

    @ParameterizedTest
    @MethodSource("generatedBodies")
    void isTakenWholeOrRefusedWithAMessage(JsonObject body) {
        CompileRequest request;
        try {
            request = PARSER.parse(ProjectKey.of("project", null), body);
        } catch (InvalidRequestException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(request.resources()).hasSize(body.getJsonObject("compile").getJsonArray("resources").size());
        assertThat(request.options().timeout()).isPositive().isLessThanOrEqualTo(request.options().group().maxTimeout());
        assertThat(request.options().group().images()).contains(request.options().image());
    }

    @Test
    void refusesTenThousandResourcesByTheirCountBeforeLookingAtThem() {
        JsonArray resources = new JsonArray();
        for (int i = 0; i < 10_000; i++) {
            resources.add(new JsonObject().put("path", "f" + i + ".tex").put("content", "x"));
        }
        JsonObject body = new JsonObject().put("compile", new JsonObject()
                .put("options", new JsonObject().put("compiler", "pdflatex"))
                .put("rootResourcePath", "f0.tex")
                .put("resources", resources));
        assertThatThrownBy(() -> PARSER.parse(ProjectKey.of("project", null), body))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("10000 entries").hasMessageContaining("MAX_RESOURCES");
    }

    @Test
    void picksTheRequestedGroupsLimitsTimeoutAndImage() {
        CompileRequestParser parser = parser(Map.of("DATA_DIR", "/tmp/unused", "COMPILE_TIMEOUT_MAX", "60",
                "COMPILE_GROUP_PRIORITY_TIMEOUT_MAX", "240", "COMPILE_GROUP_PRIORITY_MEMORY", "4g",
                "COMPILE_GROUP_PRIORITY_IMAGES", "texlive:2025, texlive:2024"));

        CompileRequest standard = parser.parse(ProjectKey.of("p", null), body(new JsonObject().put("timeout", 600)));
        CompileRequest priority = parser.parse(ProjectKey.of("p", null),
                body(new JsonObject().put("timeout", 600).put("compileGroup", "priority")));

        assertThat(standard.options().group().name()).isEqualTo("standard");
        assertThat(standard.options().timeout()).hasSeconds(60);
        assertThat(standard.options().image()).isEqualTo(ServiceConfig.DEFAULT_IMAGE);
        assertThat(priority.options().group().name()).isEqualTo("priority");
        assertThat(priority.options().group().limits().memoryBytes()).isEqualTo(4L << 30);
        assertThat(priority.options().timeout()).hasSeconds(240);
        assertThat(priority.options().image()).isEqualTo("texlive:2025");
    }

    @Test
    void refusesAnUnknownGroupAndAnImageItsGroupDoesNotAllow() {
        CompileRequestParser parser = parser(Map.of("DATA_DIR", "/tmp/unused",
                "COMPILE_GROUP_PRIORITY_IMAGES", "texlive:2025", "ALLOWED_IMAGES", "texlive:2024"));

        assertThatThrownBy(() -> parser.parse(ProjectKey.of("p", null), body(new JsonObject().put("compileGroup", "alpha"))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("options.compileGroup 'alpha' is not a compile group of this server; groups: standard, priority, playground");
        assertThatThrownBy(() -> parser.parse(ProjectKey.of("p", null),
                body(new JsonObject().put("compileGroup", "priority").put("imageName", "texlive:2024"))))
                .isInstanceOf(ImageNotAllowedException.class)
                .hasMessageContaining("'texlive:2024' is not allowed in compile group 'priority'");
        assertThat(parser.parse(ProjectKey.of("p", null), body(new JsonObject().put("imageName", "texlive:2024")))
                .options().image()).isEqualTo("texlive:2024");
    }

    @Test
    void turnsPdfCachingOnWhenTheRequestAsksAndTheServerAllows() {
        JsonObject asks = new JsonObject().put("enablePdfCaching", true).put("pdfCachingMinChunkSize", 4096);

        assertThat(PARSER.parse(ProjectKey.of("p", null), body(asks)).options().pdfCaching())
                .isEqualTo(new CompileOptions.PdfCaching(true, 4096));
        assertThat(PARSER.parse(ProjectKey.of("p", null), body(new JsonObject().put("enablePdfCaching", true)))
                .options().pdfCaching()).isEqualTo(new CompileOptions.PdfCaching(true, 1024));
        assertThat(PARSER.parse(ProjectKey.of("p", null), body(new JsonObject())).options().pdfCaching())
                .isEqualTo(CompileOptions.PdfCaching.OFF);
        CompileRequestParser off = parser(Map.of("DATA_DIR", "/tmp/unused", "PDF_CACHING", "false"));
        assertThat(off.parse(ProjectKey.of("p", null), body(asks)).options().pdfCaching()).isEqualTo(CompileOptions.PdfCaching.OFF);
    }

    @Test
    void compilesThePlaygroundsProjectsInItsGroupOnly() {
        CompileRequest request = PARSER.parse(ProjectKey.of("playground-0123abcd", null), body(new JsonObject()));
        assertThat(request.options().group().name()).isEqualTo("playground");
        assertThat(request.options().group().maxConcurrent()).isEqualTo(1);
        assertThatThrownBy(() -> PARSER.parse(ProjectKey.of("playground-0123abcd", null), body(new JsonObject()
                .put("compileGroup", "priority")))).isInstanceOf(InvalidRequestException.class).hasMessageContaining("'playground'");
        CompileRequestParser off = parser(Map.of("DATA_DIR", "/tmp/unused", "PLAYGROUND", "false"));
        assertThat(off.parse(ProjectKey.of("playground-0123abcd", null), body(new JsonObject())).options().group().name())
                .isEqualTo("standard");
    }

    @Test
    void refusesAMinimumChunkSizeThatIsNotAWholePositiveNumber() {
        for (Object size : List.of(0, -5, 1.5, "1024", 1e12)) {
            assertThatThrownBy(() -> PARSER.parse(ProjectKey.of("p", null), body(new JsonObject()
                    .put("enablePdfCaching", true).put("pdfCachingMinChunkSize", size))))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("pdfCachingMinChunkSize");
        }
    }

    @Test
    void takesWhatCLSIAcceptsDatesAsVersionsPathsTwiceAndAMainFileThatIsNotAResource() {
        JsonObject body = new JsonObject().put("compile", new JsonObject()
                .put("rootResourcePath", "missing.tex")
                .put("resources", new JsonArray()
                        .add(new JsonObject().put("path", "a.png").put("url", "http://files.example.org/a.png")
                                .put("modified", "2026-12-04T10:37:42.123Z"))
                        .add(new JsonObject().put("path", "a.png").put("url", "http://files.example.org/b.png")
                                .put("modified", 1764844662123L))));

        CompileRequest request = PARSER.parse(ProjectKey.of("p", null), body);

        assertThat(request.root().toString()).isEqualTo("missing.tex");
        assertThat(request.resources()).extracting(r -> ((Resource.Download) r).modified())
                .containsExactly(Instant.parse("2026-12-04T10:37:42.123Z").toEpochMilli(), 1764844662123L);
        assertThat(PARSER.parse(ProjectKey.of("p", null), new JsonObject().put("compile",
                new JsonObject().put("resources", new JsonArray()))).resources()).isEmpty();
    }

    @Test
    void refusesAVersionThatIsNoDate() {
        JsonObject body = new JsonObject().put("compile", new JsonObject().put("resources", new JsonArray()
                .add(new JsonObject().put("path", "a.png").put("url", "http://files.example.org/a.png")
                        .put("modified", "last tuesday"))));

        assertThatThrownBy(() -> PARSER.parse(ProjectKey.of("p", null), body)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("compile.resources[0].modified").hasMessageContaining("'last tuesday'");
    }

    @Test
    void mapsAnAliasedImageNameToItsImageAndAllowsItWhereTheImageIs() {
        CompileRequestParser parser = parser(Map.of("DATA_DIR", "/tmp/unused", "ALLOWED_IMAGES", "texlive:2024",
                "IMAGE_ALIASES", "quay.io/sharelatex/texlive-full:2017.1=texlive:2024,quay.io/sharelatex/*="
                        + ServiceConfig.DEFAULT_IMAGE + ",evil/*=texlive:nowhere"));

        assertThat(parser.parse(ProjectKey.of("p", null), body(new JsonObject().put("imageName",
                "quay.io/sharelatex/texlive-full:2017.1"))).options().image()).isEqualTo("texlive:2024");
        assertThat(parser.parse(ProjectKey.of("p", null), body(new JsonObject().put("imageName",
                "quay.io/sharelatex/texlive-full:2025.1"))).options().image()).isEqualTo(ServiceConfig.DEFAULT_IMAGE);
        assertThatThrownBy(() -> parser.parse(ProjectKey.of("p", null), body(new JsonObject().put("imageName", "evil/x:1"))))
                .isInstanceOf(ImageNotAllowedException.class).hasMessageContaining("alias of 'texlive:nowhere'");
    }

    @Test
    void givesEveryResourceUrlTheOverridingOriginBeforeCheckingItsHost() {
        CompileRequestParser parser = parser(Map.of("DATA_DIR", "/tmp/unused", "URL_ALLOWED_HOSTS", "filestore",
                "FILESTORE_DOMAIN_OVERRIDE", "http://filestore:3009/"));
        JsonObject body = new JsonObject().put("compile", new JsonObject().put("resources", new JsonArray()
                .add(new JsonObject().put("path", "a.png").put("url", "http://127.0.0.1:3009/history/project/1/hash/ab?x=1")
                        .put("fallbackURL", "http://elsewhere/bucket/b/key/c"))));

        Resource.Download download = (Resource.Download) parser.parse(ProjectKey.of("p", null), body).resources().getFirst();

        assertThat(download.url()).hasToString("http://filestore:3009/history/project/1/hash/ab?x=1");
        assertThat(download.fallbackUrl()).hasToString("http://filestore:3009/bucket/b/key/c");
    }

    @Test
    void refusesAnOverridingOriginThatIsNotAnOriginOrNotAnAllowedHost() {
        assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of("DATA_DIR", "/tmp/unused",
                "URL_ALLOWED_HOSTS", "filestore", "FILESTORE_DOMAIN_OVERRIDE", "http://filestore:3009/some/path")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no path");
        assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of("DATA_DIR", "/tmp/unused",
                "URL_ALLOWED_HOSTS", "files.example.org", "FILESTORE_DOMAIN_OVERRIDE", "http://filestore:3009")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'filestore'").hasMessageContaining("URL_ALLOWED_HOSTS");
    }

    private static CompileRequestParser parser(Map<String, String> env) {
        ServiceConfig config = ServiceConfig.fromEnvironment(env);
        return new CompileRequestParser(config, new UrlFetcher(config.downloads(), TIMER));
    }

    private static JsonObject body(JsonObject options) {
        return new JsonObject().put("compile", new JsonObject().put("options", options)
                .put("resources", new JsonArray().add(new JsonObject().put("path", "main.tex").put("content", "x"))));
    }
}
