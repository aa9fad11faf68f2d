package org.texfarm.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.texfarm.RunningService;
import org.texfarm.sync.Resource;

/**
 * Syncing a 500-file, 50 MB project end to end: compile requests over HTTP to the real service
 * (with a one-line document, so TeX is short), reporting the median of the service's own
 * {@code timings.sync}, of the whole request, and the bytes the content store wrote. Run with
 * {@code compile-service/benchmark-sync}.
 */
public final class SyncBenchmark {
    private static final int INCREMENTAL_WARMUP = 60;

    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int samples = Integer.parseInt(System.getProperty("samples", "7"));
        List<Resource> files = StoreSyncBenchmark.project(new Random(42));
        System.out.printf("%d samples after 1 warm-up each (%d for the incremental sync, which is cheap enough to warm"
                + " the JIT as a long-running service is); medians.%n%n", samples, INCREMENTAL_WARMUP);
        System.out.println("| scenario | timings.sync (ms) | request (ms) | bytes written by the store |");
        System.out.println("|---|---|---|---|");
        try (RunningService service = RunningService.start(Map.of("MAX_REQUEST_SIZE", "128m"))) {
            report(service, samples, 1, "first full sync of a new project, new content", i -> {
                post(service, "first-" + i, full(StoreSyncBenchmark.project(new Random(i)), -1, 0));
                return null;
            });
            post(service, "steady", full(files, -1, 0));
            report(service, samples, 1, "full sync, one file changed", i -> {
                post(service, "steady", full(files, 1, i + 1));
                return null;
            });
            report(service, samples, INCREMENTAL_WARMUP, "incremental sync, one file changed", i -> {
                post(service, "steady", incremental(files, 1, 1000 + i));
                return null;
            });
            report(service, samples, 1, "second project sharing 90% of the files", i -> {
                post(service, "second-" + i, shared(files, i));
                return null;
            });
        }
    }

    private record Sample(long syncMillis, long requestMillis, double bytesWritten) {
    }

    private static void report(RunningService service, int samples, int warmup, String name, IntFunction<Void> scenario) {
        List<Sample> results = new ArrayList<>();
        for (int i = 1 - warmup; i <= samples; i++) {
            double before = bytesWritten(service);
            long start = System.nanoTime();
            scenario.apply(i);
            long request = (System.nanoTime() - start) / 1_000_000;
            if (i > 0) {
                results.add(new Sample(lastSync, request, bytesWritten(service) - before));
            }
        }
        System.out.printf("| %s | %d | %d | %,.0f |%n", name,
                median(results.stream().map(Sample::syncMillis).toList()),
                median(results.stream().map(Sample::requestMillis).toList()),
                (double) median(results.stream().map(s -> (long) s.bytesWritten()).toList()));
    }

    private static long lastSync;

    private static void post(RunningService service, String project, JsonObject request) {
        RunningService.Response response = service.compile(project, request);
        if (!"success".equals(response.compileStatus())) {
            throw new IllegalStateException("compile of " + project + " failed: " + response.text());
        }
        lastSync = response.compile().getJsonObject("timings").getLong("sync");
    }

    private static JsonObject full(List<Resource> files, int changed, int edit) {
        JsonArray resources = new JsonArray();
        for (int i = 0; i < files.size(); i++) {
            Resource.Inline file = (Resource.Inline) files.get(i);
            resources.add(new JsonObject().put("path", file.path().toString())
                    .put("content", i == changed ? file.content() + " edit " + edit : file.content()));
        }
        return request(resources, "full");
    }

    private static JsonObject incremental(List<Resource> files, int changed, int edit) {
        Resource.Inline file = (Resource.Inline) files.get(changed);
        return request(new JsonArray().add(new JsonObject().put("path", file.path().toString())
                .put("content", file.content() + " edit " + edit)), "incremental");
    }

    private static JsonObject shared(List<Resource> files, int seed) {
        JsonObject request = full(files, -1, 0);
        JsonArray resources = request.getJsonObject("compile").getJsonArray("resources");
        Random random = new Random(1000 + seed);
        for (int i = 0; i < files.size() / 10; i++) {
            resources.getJsonObject(files.size() - 1 - i).put("content", StoreSyncBenchmark.text(random, StoreSyncBenchmark.FILE_BYTES));
        }
        return request;
    }

    private static JsonObject request(JsonArray resources, String syncType) {
        return new JsonObject().put("compile", new JsonObject()
                .put("options", new JsonObject().put("compiler", "pdflatex").put("syncType", syncType).put("syncState", "bench"))
                .put("rootResourcePath", "main.tex")
                .put("resources", resources));
    }

    private static double bytesWritten(RunningService service) {
        return service.metric("store_bytes_written_bytes_total");
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
