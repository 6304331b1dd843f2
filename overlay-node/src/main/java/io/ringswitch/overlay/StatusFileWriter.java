package io.ringswitch.overlay;

import io.ringswitch.overlay.api.NodeStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the node's status file on a thread of its own. The event loop takes the snapshot, which
 * reads the ring, and hands it over; turning it into JSON and writing, renaming and setting the
 * mode of a file stay off the loop, where they held up every frame that arrived meanwhile (and on
 * a slow disk, for as long as the disk took). Only the newest snapshot waits: one handed over while
 * an older one is still waiting replaces it.
 */
final class StatusFileWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusFileWriter.class);

    /** What writes one snapshot: {@link NodeStatus#write} in the node, something slower in tests. */
    interface Target {
        void write(NodeStatus status) throws IOException;
    }

    private final String file;
    private final Target target;
    private final AtomicReference<NodeStatus> waiting = new AtomicReference<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "status-file");
        t.setDaemon(true);
        return t;
    });

    StatusFileWriter(Path file) {
        this(file.toString(), status -> status.write(file));
    }

    StatusFileWriter(String file, Target target) {
        this.file = file;
        this.target = target;
    }

    /**
     * Hands {@code status} over without waiting; the writer thread writes it (or a newer one).
     * After {@link #close()}, nothing more is written.
     */
    void offer(NodeStatus status) {
        if (waiting.getAndSet(status) == null) {
            try {
                thread.execute(this::writeWaiting);
            } catch (RejectedExecutionException e) {
                waiting.set(null);
            }
        }
    }

    private void writeWaiting() {
        NodeStatus status = waiting.getAndSet(null);
        if (status == null) {
            return;
        }
        try {
            target.write(status);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot write status file {}: {}", file, e.getMessage());
        }
    }

    /** Writes what still waits, then stops the thread (at most a few seconds). */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(3, TimeUnit.SECONDS)) {
                log.warn("status file {}: the last write did not finish in 3 s", file);
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
