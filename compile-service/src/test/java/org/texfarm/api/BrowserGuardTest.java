package org.texfarm.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class BrowserGuardTest {
    private final BrowserGuard guard = new BrowserGuard(Set.of("compile-service", "Clsi.Example.org"));

    @Test
    void answersToAddressesLocalhostAndItsOwnNamesOnly() {
        assertThat(guard.answersTo("127.0.0.1:3013")).isTrue();
        assertThat(guard.answersTo("10.1.2.3")).isTrue();
        assertThat(guard.answersTo("[::1]:3013")).isTrue();
        assertThat(guard.answersTo("localhost:3013")).isTrue();
        assertThat(guard.answersTo("compile-service:3013")).isTrue();
        assertThat(guard.answersTo("clsi.example.org")).isTrue();

        assertThat(guard.answersTo("rebound.attacker.example:3013")).isFalse();
        assertThat(guard.answersTo("127.0.0.1.attacker.example")).isFalse();
        assertThat(guard.answersTo("compile-service.attacker.example")).isFalse();
        assertThat(guard.answersTo(":3013")).isFalse();
    }

    @Test
    void takesAnOriginAsSameOnlyWhenItNamesTheRequestsHostAndPort() {
        assertThat(BrowserGuard.sameAuthority("http://127.0.0.1:3013", "127.0.0.1:3013")).isTrue();
        assertThat(BrowserGuard.sameAuthority("http://127.0.0.1:8080", "127.0.0.1:3013")).isFalse();
        assertThat(BrowserGuard.sameAuthority("https://attacker.example", "127.0.0.1:3013")).isFalse();
        assertThat(BrowserGuard.sameAuthority("null", "127.0.0.1:3013")).isFalse();
        assertThat(BrowserGuard.sameAuthority("not a url at all", "127.0.0.1:3013")).isFalse();
    }
}
