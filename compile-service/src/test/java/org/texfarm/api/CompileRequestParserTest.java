package org.texfarm.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.texfarm.InvalidRequestException;
import org.texfarm.ProjectKey;
import org.texfarm.config.ServiceConfig;
import org.texfarm.sync.UrlFetcher;

class CompileRequestParserTest {
    private static final ServiceConfig CONFIG = ServiceConfig.fromEnvironment(Map.of("DATA_DIR", "/tmp/unused"));
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();

    @AfterAll
    static void stopTimer() {
        TIMER.shutdownNow();
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
        CompileRequestParser parser = new CompileRequestParser(CONFIG, new UrlFetcher(CONFIG.downloads(), TIMER));

        assertThatThrownBy(() -> parser.parse(ProjectKey.of("project", null), body))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("10000 entries").hasMessageContaining("MAX_RESOURCES");
    }
}
