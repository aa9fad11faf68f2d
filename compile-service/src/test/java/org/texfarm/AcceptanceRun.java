package org.texfarm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A run of Overleaf's CLSI acceptance suite as its reporter ({@code list-reporter.cjs}) writes it: every
 * test with its state ({@code passed}, {@code failed}, {@code pending}, {@code not-run} or {@code filtered}),
 * and the hooks that failed.
 */
record AcceptanceRun(List<TestResult> tests, List<FailedHook> failedHooks) {
    private static final int ANSWER_SHOWN = 300;

    /** One test; {@code error} is what it failed with (null unless it failed). */
    record TestResult(List<String> suites, String title, String state, String error) {
        /** Mocha's full title: the suites' titles and the test's, joined by spaces. */
        String fullTitle() {
            return Stream.concat(suites.stream(), Stream.of(title)).collect(Collectors.joining(" "));
        }
    }

    /** A {@code before}/{@code after} hook that failed: mocha skips the tests of its suite. */
    record FailedHook(List<String> suites, String title, String error) {
    }

    /** A test that makes the known-failures list untrue, and what happened to it. */
    record Offence(String test, String what) {
    }

    /** How a run compares with the known-failures list: the list is true when all three are empty. */
    record Verdict(List<Offence> unexpectedFailures, List<Offence> unexpectedPasses, List<Offence> listedButAbsent) {
        boolean listIsTrue() {
            return unexpectedFailures.isEmpty() && unexpectedPasses.isEmpty() && listedButAbsent.isEmpty();
        }

        String report() {
            StringBuilder report = new StringBuilder();
            section(report, "unexpected failure(s): not in " + KnownFailure.SOURCE, unexpectedFailures);
            section(report, "unexpected pass(es): listed in " + KnownFailure.SOURCE + ", take them off", unexpectedPasses);
            section(report, "listed test(s) that are not in the suite: correct or remove them", listedButAbsent);
            return report.toString();
        }

        private static void section(StringBuilder report, String heading, List<Offence> offences) {
            if (offences.isEmpty()) {
                return;
            }
            report.append(offences.size()).append(' ').append(heading).append('\n');
            offences.forEach(o -> report.append("  - ").append(o.test()).append("\n      ").append(o.what()).append('\n'));
        }
    }

    static AcceptanceRun read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    static AcceptanceRun parse(String json) {
        JsonObject report = new JsonObject(json);
        List<TestResult> tests = objects(report.getJsonArray("tests")).map(t -> new TestResult(
                strings(t.getJsonArray("suites")), t.getString("title"), t.getString("state"), error(t))).toList();
        List<FailedHook> hooks = objects(report.getJsonArray("failedHooks", new JsonArray())).map(h -> new FailedHook(
                strings(h.getJsonArray("suites")), h.getString("title"), error(h))).toList();
        return new AcceptanceRun(tests, hooks);
    }

    /** How many tests ended in each state, by state. */
    Map<String, Long> totals() {
        return tests.stream().collect(Collectors.groupingBy(TestResult::state, TreeMap::new, Collectors.counting()));
    }

    /**
     * A listed test may fail or not run; any other test must pass (or be left out by the suite itself with
     * {@code it.skip}, which is neither); a listed test that passes (unless flaky), or that the suite does not
     * have, makes the list untrue too.
     */
    Verdict compareWith(List<KnownFailure> known) {
        Map<String, KnownFailure> listed = known.stream().collect(Collectors.toMap(KnownFailure::test, Function.identity()));
        List<Offence> failures = new ArrayList<>();
        List<Offence> passes = new ArrayList<>();
        for (TestResult test : tests) {
            KnownFailure listing = listed.get(test.fullTitle());
            switch (test.state()) {
                case "passed" -> {
                    if (listing != null && !listing.flaky()) {
                        passes.add(new Offence(test.fullTitle(), "passed (listed because: " + listing.reason() + ")"));
                    }
                }
                case "pending" -> {
                }
                default -> {
                    if (listing == null) {
                        failures.add(new Offence(test.fullTitle(), whatHappened(test)));
                    }
                }
            }
        }
        Set<String> ran = tests.stream().map(TestResult::fullTitle).collect(Collectors.toSet());
        List<Offence> absent = known.stream().filter(k -> !ran.contains(k.test()))
                .map(k -> new Offence(k.test(), "no test of this title in the results")).toList();
        return new Verdict(failures, passes, absent);
    }

    private String whatHappened(TestResult test) {
        return switch (test.state()) {
            case "failed" -> test.error();
            case "not-run" -> "did not run: " + failedHookAbove(test)
                    .map(h -> h.title() + " failed: " + h.error()).orElse("mocha stopped before it");
            case "filtered" -> "left out by --grep";
            default -> test.state();
        };
    }

    /** The innermost failed hook of a suite that holds the test: the reason mocha skipped it. */
    private Optional<FailedHook> failedHookAbove(TestResult test) {
        return failedHooks.stream()
                .filter(h -> h.suites().size() <= test.suites().size()
                        && test.suites().subList(0, h.suites().size()).equals(h.suites()))
                .max(Comparator.comparingInt(h -> h.suites().size()));
    }

    /** The first line of the error's message, with the start of the service's answer when the error carries one. */
    private static String error(JsonObject runnable) {
        JsonObject error = runnable.getJsonObject("error");
        if (error == null) {
            return null;
        }
        String message = error.getString("message", "").lines().findFirst().orElse("");
        Object answer = error.getValue("body");
        if (answer == null) {
            return message;
        }
        // fetch-utils' "request failed" says nothing by itself: the answer does.
        String text = answer.toString().replaceAll("\\s+", " ");
        return message + " (answer: " + (text.length() > ANSWER_SHOWN ? text.substring(0, ANSWER_SHOWN) + "…" : text) + ")";
    }

    private static Stream<JsonObject> objects(JsonArray array) {
        return IntStream.range(0, array.size()).mapToObj(array::getJsonObject);
    }

    private static List<String> strings(JsonArray array) {
        return IntStream.range(0, array.size()).mapToObj(array::getString).toList();
    }
}
