package org.texfarm.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadTestCommandTest {
    private static String[] run(String... args) {
        StringWriter errors = new StringWriter();
        CommandLine command = new CommandLine(new LoadTest()).setErr(new PrintWriter(errors));
        int status = command.execute(args);
        return new String[] {Integer.toString(status), errors.toString()};
    }

    @Test
    void refusesBadSettingsWithAMessageAndStatusTwo() {
        assertThat(run()).satisfies(r -> assertThat(r[0]).isEqualTo("2"))
                .satisfies(r -> assertThat(r[1]).contains("Missing required option: '--url=<url>'"));
        assertThat(run("--url", "ftp://x")[1]).contains("--url must be an http(s) URL");
        assertThat(run("--url", "http://127.0.0.1:9", "--mix", "first=x")[1]).contains("'first=x' must be name=weight");
        assertThat(run("--url", "http://127.0.0.1:9", "--documents", "novel")[1]).contains("no built-in document 'novel'");
        assertThat(run("--url", "http://127.0.0.1:9", "--model", "open", "--rate", "0")[1]).contains("positive number");
        assertThat(run("--url", "http://127.0.0.1:9", "--duration", "soon")[1]).contains("'soon' is not a duration");
        assertThat(run("--url", "http://127.0.0.1:9", "--duration", "10s", "--ramp", "1m")[1]).contains("must end within the run");
    }

    @Test
    void readsDurationsWithOrWithoutAUnit() {
        LoadTest.DurationConverter durations = new LoadTest.DurationConverter();

        assertThat(durations.convert("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(durations.convert("1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(durations.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(durations.convert("2h")).isEqualTo(Duration.ofHours(2));
    }
}
