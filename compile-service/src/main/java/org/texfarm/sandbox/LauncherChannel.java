package org.texfarm.sandbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's side of a sandbox's control channel: the {@code go} FIFO that carries each job's
 * line to the launcher, and the {@code done} FIFO on which the launcher says it is ready and then
 * reports each job's end. Both are opened by the service before the container starts and by the
 * launcher first thing; when the launcher says it is ready, the service unlinks both from the slot,
 * before any job runs. From then on no process of the sandbox can open them: the launcher passes
 * them to no child, and it made itself undumpable, so the jobs, which run as its user, can neither
 * trace it nor open its descriptors through /proc. Nothing a job writes can become a later job's
 * line or its report.
 */
final class LauncherChannel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LauncherChannel.class);
    static final String READY = "ready";
    private static final int MAX_LINE = 256;

    private final Path goFifo;
    private final Path doneFifo;
    /** Opened read-write, which never blocks whether or not the launcher has its end open yet. */
    private final FileChannel go;
    private final FileChannel doneWriter;
    /** A channel of its own for the blocking reads: a channel's reads and writes share a lock. */
    private final FileChannel done;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicReference<CompletableFuture<String>> pending = new AtomicReference<>();
    private volatile boolean closed;

    private LauncherChannel(Path goFifo, Path doneFifo) throws IOException {
        this.goFifo = goFifo;
        this.doneFifo = doneFifo;
        this.go = FileChannel.open(goFifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.doneWriter = FileChannel.open(doneFifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.done = FileChannel.open(doneFifo, StandardOpenOption.READ);
    }

    /**
     * Opens both FIFOs and listens for the launcher on a thread of its own.
     *
     * @param onReady run when the launcher says it is ready, after the FIFOs are unlinked and before
     *                {@link #ready()} completes
     */
    static LauncherChannel open(Path goFifo, Path doneFifo, String name, Runnable onReady) throws IOException {
        LauncherChannel channel = new LauncherChannel(goFifo, doneFifo);
        // A platform thread: a virtual thread blocked reading a FIFO would hold its carrier.
        Thread.ofPlatform().daemon().name("sandbox-launcher-" + name).start(() -> channel.listen(onReady));
        return channel;
    }

    /** Completes when the launcher is ready for its first job and the channel has become private. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /**
     * Sends one job's line (the channel must be ready); the future completes with the launcher's
     * report of its end, or exceptionally if the channel closes first.
     */
    CompletableFuture<String> send(String line) throws IOException {
        if (!ready.isDone() || ready.isCompletedExceptionally()) {
            throw new IllegalStateException("the launcher is not ready");
        }
        CompletableFuture<String> report = new CompletableFuture<>();
        if (!pending.compareAndSet(null, report)) {
            throw new IllegalStateException("the launcher runs a job already");
        }
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            go.write(bytes);
        }
        return report;
    }

    /** Gives up on the job's report: the launcher is gone or no longer trusted. */
    void abandon(CompletableFuture<String> report) {
        pending.compareAndSet(report, null);
        report.completeExceptionally(new IOException("no report"));
    }

    private void listen(Runnable onReady) {
        try {
            String first = readLine();
            if (!READY.equals(first)) {
                throw new IOException("the launcher said '" + first + "' instead of ready");
            }
            Files.deleteIfExists(goFifo);
            Files.deleteIfExists(doneFifo);
            onReady.run();
            ready.complete(null);
            while (!closed) {
                String line = readLine();
                CompletableFuture<String> report = pending.getAndSet(null);
                if (closed) {
                    return;
                }
                if (report == null) {
                    throw new IOException("the launcher reported with no job running: '" + line + "'");
                }
                report.complete(line);
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                log.debug("sandbox launcher channel ended: {}", e.getMessage());
            }
            ready.completeExceptionally(e);
            CompletableFuture<String> report = pending.getAndSet(null);
            if (report != null) {
                report.completeExceptionally(e);
            }
        }
    }

    private String readLine() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_LINE);
        ByteBuffer one = ByteBuffer.allocate(1);
        while (buffer.hasRemaining()) {
            one.clear();
            if (done.read(one) <= 0) {
                throw new IOException("the launcher's channel closed");
            }
            if (one.get(0) == '\n') {
                return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            }
            buffer.put(one.get(0));
        }
        throw new IOException("the launcher sent a line longer than " + MAX_LINE + " bytes");
    }

    /** Closes the channel: the launcher, if alive, reads the end of its input and exits. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // Wakes the listening thread, which a closed channel would not.
            doneWriter.write(ByteBuffer.wrap(new byte[] {'\n'}));
        } catch (IOException e) {
            log.debug("cannot wake the launcher channel's listener: {}", e.getMessage());
        }
        for (FileChannel channel : new FileChannel[] {go, doneWriter, done}) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("cannot close a launcher FIFO: {}", e.getMessage());
            }
        }
    }
}
