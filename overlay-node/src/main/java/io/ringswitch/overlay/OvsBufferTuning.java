package io.ringswitch.overlay;

import io.ringswitch.overlay.tap.OvsSocketBuffers;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link OvsSocketBuffers} now and every few seconds on a thread of its own (it reads
 * {@code /proc}, which the event loop should not wait for), so that host ports added later and a
 * restarted ovs-vswitchd get the larger buffers too. Only for the userspace datapath.
 */
final class OvsBufferTuning implements AutoCloseable {
    private static final long EVERY_SECONDS = 5;
    private final ScheduledExecutorService thread;

    private OvsBufferTuning(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    static OvsBufferTuning start() {
        OvsSocketBuffers buffers = new OvsSocketBuffers();
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ovs-buffers");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(buffers::enlargeNew, 0, EVERY_SECONDS, TimeUnit.SECONDS);
        return new OvsBufferTuning(thread);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
