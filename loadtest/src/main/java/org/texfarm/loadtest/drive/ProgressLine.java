package org.texfarm.loadtest.drive;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.texfarm.loadtest.report.Results;

/**
 * The live progress line: rate, compiles in flight, p50 and p99 so far, errors. Rewritten in place
 * every second on a terminal; a full line every ten seconds otherwise (a log file, CI).
 */
public final class ProgressLine implements AutoCloseable {
    private final LoadRun run;
    private final PrintStream out;
    private final boolean terminal;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("progress").factory());
    private long lastSent;
    private double lastSeconds;

    public ProgressLine(LoadRun run, PrintStream out, boolean terminal) {
        this.run = run;
        this.out = out;
        this.terminal = terminal;
        long period = terminal ? 1 : 10;
        timer.scheduleAtFixedRate(this::print, period, period, TimeUnit.SECONDS);
    }

    private void print() {
        Results results = run.results();
        if (results == null) {
            return;
        }
        Results.Progress now = results.progress(System.nanoTime());
        double rate = now.seconds() > lastSeconds ? (now.sent() - lastSent) / (now.seconds() - lastSeconds) : 0;
        lastSent = now.sent();
        lastSeconds = now.seconds();
        String line = String.format(Locale.ROOT, "%5.0f s  sending %.1f/s  in flight %d  completed %d (+%d cached)"
                        + "  p50 %.0f ms  p99 %.0f ms  errors %d  rejected %d", now.seconds(), rate, run.inFlight(),
                now.completed(), now.cacheHits(), now.p50Millis(), now.p99Millis(), now.errors(), now.rejections());
        out.print(terminal ? "\r" + line + "   " : line + System.lineSeparator());
        out.flush();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (terminal) {
            out.println();
        }
    }
}
