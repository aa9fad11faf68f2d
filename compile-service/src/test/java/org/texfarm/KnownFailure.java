package org.texfarm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A test of Overleaf's CLSI acceptance suite that is allowed to fail: its full title as the suite's
 * reporter gives it (suite titles and test title, joined by spaces), why it fails, and, if known, the
 * later issue or the lasting category that settles it ({@code null} when none is named). A flaky one
 * fails only at times (a race in the test itself), so its passing does not make the list untrue.
 */
record KnownFailure(String test, String reason, String until, boolean flaky) {
    static final String RESOURCE = "/clsi-acceptance/known-failures.json";
    /** Where to edit it, from the repository. */
    static final String SOURCE = "compile-service/src/test/resources" + RESOURCE;
    private static final Set<String> FIELDS = Set.of("test", "reason", "until", "flaky");

    KnownFailure {
        if (test == null || test.isBlank() || reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a known failure needs a test and a reason: " + test);
        }
    }

    /** The list in {@value #RESOURCE}, in its order; a typo in a field name or a test listed twice is an error. */
    static List<KnownFailure> load() {
        try (InputStream in = KnownFailure.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<KnownFailure> parse(String json) {
        JsonArray array = new JsonArray(json);
        Set<String> seen = new HashSet<>();
        return IntStream.range(0, array.size()).mapToObj(i -> {
            JsonObject entry = array.getJsonObject(i);
            Set<String> unknown = new HashSet<>(entry.fieldNames());
            unknown.removeAll(FIELDS);
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("known failure " + i + ": unknown field(s) " + unknown);
            }
            KnownFailure failure = new KnownFailure(entry.getString("test"), entry.getString("reason"),
                    entry.getString("until"), entry.getBoolean("flaky", false));
            if (!seen.add(failure.test())) {
                throw new IllegalArgumentException("listed twice: " + failure.test());
            }
            return failure;
        }).toList();
    }
}
