package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a run of Overleaf's CLSI acceptance suite is held against the list of tests allowed to fail. */
class AcceptanceRunTest {
    private static JsonObject test(String suite, String title, String state) {
        return new JsonObject().put("file", "T.js").put("suites", new JsonArray().add("Top").add(suite))
                .put("title", title).put("state", state);
    }

    private static AcceptanceRun run(JsonArray hooks, JsonObject... tests) {
        return AcceptanceRun.parse(new JsonObject().put("tests", new JsonArray(List.of(tests)))
                .put("failedHooks", hooks).encode());
    }

    private static KnownFailure listed(String test) {
        return new KnownFailure(test, "because", null, false);
    }

    @Test
    void aFailureNotListedIsUnexpectedAndShowsTheFirstLineOfItsErrorAndTheAnswer() {
        AcceptanceRun run = run(new JsonArray(), test("s", "t", "failed").put("error",
                new JsonObject().put("message", "request failed\nat line 3").put("body", "{\"error\": \"no\"}")));

        AcceptanceRun.Verdict verdict = run.compareWith(List.of());

        assertThat(verdict.listIsTrue()).isFalse();
        assertThat(verdict.unexpectedFailures()).containsExactly(
                new AcceptanceRun.Offence("Top s t", "request failed (answer: {\"error\": \"no\"})"));
    }

    @Test
    void aTestThatDidNotRunIsBlamedOnTheInnermostFailedHookAboveIt() {
        JsonArray hooks = new JsonArray()
                .add(new JsonObject().put("suites", new JsonArray().add("Top")).put("title", "outer hook")
                        .put("error", new JsonObject().put("message", "outer")))
                .add(new JsonObject().put("suites", new JsonArray().add("Top").add("s")).put("title", "\"before all\" hook")
                        .put("error", new JsonObject().put("message", "already wrapped")));

        AcceptanceRun.Verdict verdict = run(hooks, test("s", "t", "not-run")).compareWith(List.of());

        assertThat(verdict.unexpectedFailures()).extracting(AcceptanceRun.Offence::what)
                .containsExactly("did not run: \"before all\" hook failed: already wrapped");
    }

    @Test
    void aListedTestThatPassesIsUnexpected() {
        AcceptanceRun.Verdict verdict = run(new JsonArray(), test("s", "t", "passed")).compareWith(List.of(listed("Top s t")));

        assertThat(verdict.unexpectedPasses()).extracting(AcceptanceRun.Offence::test).containsExactly("Top s t");
        assertThat(verdict.listIsTrue()).isFalse();
    }

    @Test
    void aFlakyListedTestMayPass() {
        AcceptanceRun.Verdict verdict = run(new JsonArray(), test("s", "t", "passed"))
                .compareWith(List.of(new KnownFailure("Top s t", "a race", null, true)));

        assertThat(verdict.listIsTrue()).as(verdict.report()).isTrue();
    }

    @Test
    void aListedTestTheSuiteDoesNotHaveIsReported() {
        AcceptanceRun.Verdict verdict = run(new JsonArray(), test("s", "t", "passed")).compareWith(List.of(listed("Top s gone")));

        assertThat(verdict.listedButAbsent()).extracting(AcceptanceRun.Offence::test).containsExactly("Top s gone");
        assertThat(verdict.report()).contains("Top s gone");
    }

    @Test
    void listedFailuresTestsThatDidNotRunAndSkippedTestsKeepTheListTrue() {
        AcceptanceRun run = run(new JsonArray(), test("s", "fails", "failed"), test("s", "skipped", "not-run"),
                test("s", "pending", "pending"), test("s", "passes", "passed"));

        AcceptanceRun.Verdict verdict = run.compareWith(List.of(listed("Top s fails"), listed("Top s skipped")));

        assertThat(verdict.listIsTrue()).as(verdict.report()).isTrue();
    }
}
