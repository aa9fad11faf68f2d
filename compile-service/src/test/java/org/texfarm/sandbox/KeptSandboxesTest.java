package org.texfarm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.texfarm.MutableClock;
import org.texfarm.config.KeptSandboxSettings;
import org.texfarm.config.SandboxLimits;
import org.texfarm.config.ShellEscape;

class KeptSandboxesTest {
    private static final long MIB = 1 << 20;
    private static final SandboxLimits LIMITS = new SandboxLimits(MIB << 10, 1_000_000_000L, 256, MIB, 1024, MIB, 100,
            MIB, MIB, ShellEscape.RESTRICTED, SandboxLimits.DEFAULT_RUNTIME, 10001, 10001);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final List<WarmContainer> discarded = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private KeptSandboxes kept(int count, Duration idle, long memory) {
        return new KeptSandboxes(new KeptSandboxSettings(count, idle, memory, Path.of("/sys/fs/cgroup")), clock,
                discarded::add, registry);
    }

    private static KeptSandboxes.Key key(String project) {
        return new KeptSandboxes.Key(Path.of("/data/compiles", project), "texlive-sandbox:bookworm", LIMITS);
    }

    private static WarmContainer container(String id) {
        return new WarmContainer(id, Path.of("/slots", id), new CompletableFuture<>(), null, new AtomicReference<>());
    }

    private double evictions(String reason) {
        return registry.get("sandbox.kept.evictions").tag("reason", reason).counter().count();
    }

    @Test
    void givesAKeptSandboxOnlyToItsOwnKeyAndOnlyOnce() {
        KeptSandboxes kept = kept(4, Duration.ofMinutes(2), 64 * MIB);
        WarmContainer a = container("a");
        kept.keep(key("a"), a, MIB);

        assertThat(kept.take(key("b"))).isEmpty();
        assertThat(kept.take(new KeptSandboxes.Key(Path.of("/data/compiles", "a"), "texlive-sandbox:trixie", LIMITS))).isEmpty();
        assertThat(kept.take(new KeptSandboxes.Key(Path.of("/data/compiles", "a"), "texlive-sandbox:bookworm",
                new SandboxLimits(MIB << 10, 1_000_000_000L, 256, MIB, 1024, MIB, 100, MIB, MIB, ShellEscape.FULL,
                        SandboxLimits.DEFAULT_RUNTIME, 10001, 10001)))).isEmpty();
        assertThat(kept.take(key("a"))).containsSame(a);
        assertThat(kept.take(key("a"))).isEmpty();
        assertThat(registry.get("sandbox.kept.reuses").counter().count()).isEqualTo(1);
        assertThat(discarded).isEmpty();
    }

    @Test
    void removesTheLeastRecentlyUsedBeyondTheCount() {
        KeptSandboxes kept = kept(2, Duration.ofMinutes(2), 64 * MIB);
        WarmContainer a = container("a");
        WarmContainer b = container("b");
        WarmContainer c = container("c");
        kept.keep(key("a"), a, MIB);
        kept.keep(key("b"), b, MIB);
        kept.keep(key("a"), kept.take(key("a")).orElseThrow(), MIB);
        kept.keep(key("c"), c, MIB);

        assertThat(discarded).containsExactly(b);
        assertThat(kept.size()).isEqualTo(2);
        assertThat(evictions("count")).isEqualTo(1);
    }

    @Test
    void removesTheLeastRecentlyUsedBeyondTheMemoryAndKeepsNoneLargerThanIt() {
        KeptSandboxes kept = kept(8, Duration.ofMinutes(2), 10 * MIB);
        WarmContainer a = container("a");
        WarmContainer b = container("b");
        WarmContainer huge = container("huge");
        kept.keep(key("a"), a, 6 * MIB);
        kept.keep(key("b"), b, 6 * MIB);
        kept.keep(key("huge"), huge, 11 * MIB);

        assertThat(discarded).containsExactly(a, huge);
        assertThat(kept.memoryBytes()).isEqualTo(6 * MIB);
        assertThat(evictions("memory")).isEqualTo(2);
    }

    @Test
    void removesThoseIdleForTheIdleTime() {
        KeptSandboxes kept = kept(8, Duration.ofMinutes(2), 64 * MIB);
        WarmContainer old = container("old");
        WarmContainer recent = container("recent");
        kept.keep(key("old"), old, MIB);
        clock.advance(Duration.ofSeconds(90));
        kept.keep(key("recent"), recent, MIB);
        clock.advance(Duration.ofSeconds(30));

        kept.evictIdle();

        assertThat(discarded).containsExactly(old);
        assertThat(kept.take(key("recent"))).containsSame(recent);
        assertThat(evictions("idle")).isEqualTo(1);
    }

    @Test
    void discardsADeadSandboxInsteadOfGivingItOut() {
        KeptSandboxes kept = kept(8, Duration.ofMinutes(2), 64 * MIB);
        WarmContainer dead = container("dead");
        kept.keep(key("a"), dead, MIB);
        dead.exit().complete(137);

        assertThat(kept.take(key("a"))).isEmpty();
        assertThat(discarded).containsExactly(dead);
        assertThat(evictions("dead")).isEqualTo(1);
    }

    @Test
    void keepsNoneWhenTheCountIsZero() {
        KeptSandboxes kept = kept(0, Duration.ofMinutes(2), 64 * MIB);
        WarmContainer a = container("a");
        kept.keep(key("a"), a, MIB);

        assertThat(kept.take(key("a"))).isEmpty();
        assertThat(discarded).containsExactly(a);
    }
}
