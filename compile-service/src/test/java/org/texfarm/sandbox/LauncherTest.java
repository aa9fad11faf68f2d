package org.texfarm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sandbox's launcher, as the container receives it: one argument to {@code perl -e}. */
class LauncherTest {

    @Test
    void isAnArgumentAnExecCanPassWithNoControlCharacterButNewlines() {
        assertThat(Containers.LAUNCHER.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
    }

    @Test
    void compilesAsPerl() throws Exception {
        Process perl = new ProcessBuilder("perl", "-c", "-e", Containers.LAUNCHER).redirectErrorStream(true).start();
        assertThat(perl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(perl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(perl.exitValue()).as(output).isZero();
        assertThat(output).contains("syntax OK");
    }
}
