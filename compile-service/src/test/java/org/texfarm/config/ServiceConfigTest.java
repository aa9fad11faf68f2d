package org.texfarm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {
    private static ServiceConfig read(Map<String, String> env) {
        return ServiceConfig.fromEnvironment(env);
    }

    @Test
    void hasSafeDefaults() {
        ServiceConfig config = read(Map.of("DATA_DIR", "/tmp/x"));

        assertThat(config.port()).isEqualTo(3013);
        assertThat(config.listenAddress()).isEqualTo("127.0.0.1");
        assertThat(config.publicBaseUrl()).isEqualTo("http://127.0.0.1:3013");
        assertThat(config.defaultImage()).isEqualTo(ServiceConfig.DEFAULT_IMAGE);
        assertThat(config.groups().images()).containsExactly(ServiceConfig.DEFAULT_IMAGE);
        assertThat(config.downloads().allowedHosts()).isEmpty();
        assertThat(config.groups().byName()).containsOnlyKeys("standard", "priority", "playground");
        assertThat(config.playground()).isEqualTo(new PlaygroundSettings(true, "playground", Duration.ofHours(1)));
        assertThat(config.groups().defaultGroup().name()).isEqualTo("standard");
        assertThat(config.groups().all()).filteredOn(group -> !group.name().equals("playground")).allSatisfy(group -> {
            assertThat(group.limits().shellEscape()).isEqualTo(ShellEscape.RESTRICTED);
            assertThat(group.limits().runtime()).isEqualTo("runc");
            assertThat(group.limits().memoryBytes()).isEqualTo(2L << 30);
            assertThat(group.maxTimeout()).isEqualTo(Duration.ofSeconds(600));
        });
        assertThat(config.compile().maxConcurrent()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.compile().preambleFormats()).isTrue();
        assertThat(config.compile().preambleDumpAfter()).isEqualTo(8);
        assertThat(config.agent().reportLoad()).isTrue();
        assertThat(config.requests().syncTexCacheBytes()).isEqualTo(128L << 20);
    }

    @Test
    void readsTypedValues() {
        ServiceConfig config = read(Map.of(
                "DATA_DIR", "/srv/data", "PORT", "8080", "LISTEN_ADDRESS", "0.0.0.0",
                "SANDBOX_MEMORY", "512m", "SANDBOX_CPUS", "0.5", "COMPILE_TIMEOUT_MAX", "90",
                "URL_ALLOWED_HOSTS", "filestore, 10.0.0.0/8", "ALLOWED_IMAGES", "texlive:2024",
                "PUBLIC_BASE_URL", "https://clsi.example.org/", "PRECOMPILE_PREAMBLES", "false"));

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.publicBaseUrl()).isEqualTo("https://clsi.example.org");
        CompileGroup standard = config.groups().defaultGroup();
        assertThat(standard.limits().memoryBytes()).isEqualTo(512L << 20);
        assertThat(standard.limits().nanoCpus()).isEqualTo(500_000_000L);
        assertThat(standard.maxTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(standard.defaultTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.downloads().allowedHosts()).containsExactly("filestore", "10.0.0.0/8");
        assertThat(standard.images()).containsExactly(ServiceConfig.DEFAULT_IMAGE, "texlive:2024");
        assertThat(config.compile().preambleFormats()).isFalse();
    }

    @Test
    void readsHowOftenAProjectCompilesAPreambleBeforeItIsDumped() {
        assertThat(read(Map.of("PRECOMPILE_PREAMBLES_AFTER", "3")).compile().preambleDumpAfter()).isEqualTo(3);
        assertThatThrownBy(() -> read(Map.of("PRECOMPILE_PREAMBLES_AFTER", "0")))
                .hasMessageContaining("PRECOMPILE_PREAMBLES_AFTER");
    }

    @Test
    void readsPdfCachingAndConversionsOnByDefaultWithTheirBounds() {
        ServiceConfig defaults = read(Map.of("DATA_DIR", "/tmp/x"));
        assertThat(defaults.pdfCaching()).isEqualTo(new PdfCachingSettings(true, 1024, Duration.ofSeconds(10)));
        assertThat(defaults.conversions().documents()).isTrue();
        assertThat(defaults.conversions().pdfs()).isTrue();
        assertThat(defaults.conversions().image()).isEqualTo(ConversionSettings.DEFAULT_IMAGE);
        assertThat(defaults.conversions().group().name()).isEqualTo("standard");
        assertThat(defaults.conversions().timeout()).isEqualTo(Duration.ofSeconds(60));

        ServiceConfig set = read(Map.of("PDF_CACHING", "false", "PDF_CACHING_MIN_CHUNK_SIZE", "4096", "PDF_CACHING_MAX_TIME", "2",
                "DOCUMENT_CONVERSIONS", "false", "CONVERSION_GROUP", "priority", "CONVERSION_TIMEOUT", "20"));
        assertThat(set.pdfCaching()).isEqualTo(new PdfCachingSettings(false, 4096, Duration.ofSeconds(2)));
        assertThat(set.conversions().documents()).isFalse();
        assertThat(set.conversions().pdfs()).isTrue();
        assertThat(set.conversions().group().name()).isEqualTo("priority");
        assertThat(set.conversions().timeout()).isEqualTo(Duration.ofSeconds(20));

        assertThatThrownBy(() -> read(Map.of("CONVERSION_GROUP", "nightly")))
                .hasMessage("CONVERSION_GROUP names 'nightly', which is not a compile group; groups: standard, priority, playground");
        assertThatThrownBy(() -> read(Map.of("PDF_CACHING_MIN_CHUNK_SIZE", "0"))).hasMessageContaining("PDF_CACHING_MIN_CHUNK_SIZE");
    }

    @Test
    void boundsTheTimeOfPdfCachingByTheCompilesTime() {
        PdfCachingSettings settings = new PdfCachingSettings(true, 1024, Duration.ofSeconds(10));

        assertThat(settings.timeFor(Duration.ofMillis(400))).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.timeFor(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.timeFor(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readsTheAgentsWeightModeAndTheSyncTexCacheSize() {
        ServiceConfig config = read(Map.of("DATA_DIR", "/srv/data", "AGENT_REPORT_LOAD", "false", "SYNCTEX_CACHE_SIZE", "1g"));

        assertThat(config.agent().reportLoad()).isFalse();
        assertThat(config.requests().syncTexCacheBytes()).isEqualTo(1L << 30);
    }

    @Test
    void namesTheVariableAndValueOfABadSetting() {
        assertThatThrownBy(() -> read(Map.of("PORT", "eighty")))
                .isInstanceOf(ConfigException.class).hasMessage("PORT must be a whole number, not 'eighty'");
        assertThatThrownBy(() -> read(Map.of("PORT", "70000")))
                .hasMessageContaining("PORT must be between 1 and 65535").hasMessageContaining("70000");
        assertThatThrownBy(() -> read(Map.of("SANDBOX_MEMORY", "lots")))
                .hasMessageContaining("SANDBOX_MEMORY must be a size").hasMessageContaining("'lots'");
        assertThatThrownBy(() -> read(Map.of("SHELL_ESCAPE", "maybe")))
                .hasMessage("SHELL_ESCAPE must be off, restricted or full (true means full, false off), not 'maybe'");
        assertThatThrownBy(() -> read(Map.of("SANDBOX_RUNTIME", "runsc --debug")))
                .hasMessageStartingWith("SANDBOX_RUNTIME must be the name of a runtime");
        assertThatThrownBy(() -> read(Map.of("PUBLIC_BASE_URL", "ftp://x")))
                .hasMessageContaining("PUBLIC_BASE_URL");
        assertThatThrownBy(() -> read(Map.of("COMPILE_TIMEOUT_MAX", "30", "COMPILE_TIMEOUT_DEFAULT", "60")))
                .hasMessageContaining("COMPILE_TIMEOUT_DEFAULT");
    }

    @Test
    void takesAnApiTokenOnlyWhenLongEnoughAndNeverPrintsIt() {
        assertThatThrownBy(() -> read(Map.of("DATA_DIR", "/tmp/x", "API_TOKEN", "short")))
                .hasMessageContaining("API_TOKEN must be at least 16 characters long, not 5");

        ServiceConfig config = read(Map.of("DATA_DIR", "/tmp/x", "API_TOKEN", "0123456789abcdef-secret"));

        assertThat(config.apiToken().admits("Bearer 0123456789abcdef-secret")).isTrue();
        assertThat(config.apiToken().admits("bearer 0123456789abcdef-secret")).isTrue();
        assertThat(config.apiToken().admits("Bearer 0123456789abcdef-secreT")).isFalse();
        assertThat(config.apiToken().admits(null)).isFalse();
        assertThat(config.toString()).doesNotContain("secret");
        assertThat(read(Map.of("DATA_DIR", "/tmp/x")).apiToken()).isNull();
    }

    @Test
    void parsesSizesWithUnits() {
        assertThat(Environment.parseSize("1024")).isEqualTo(1024);
        assertThat(Environment.parseSize("64k")).isEqualTo(64 << 10);
        assertThat(Environment.parseSize("2G")).isEqualTo(2L << 30);
        assertThat(Environment.parseSize("3MiB")).isEqualTo(3L << 20);
        assertThatThrownBy(() -> Environment.parseSize("1.5g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Environment.parseSize("99999999999t")).isInstanceOf(IllegalArgumentException.class);
    }
}
