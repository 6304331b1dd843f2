package io.ringswitch.overlay.tap;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Frames of the TAP device read by a thread of their own and handed to the node's event loop in
 * batches: the reader reads until none is waiting (or a batch is full) and hands the batch over as
 * one task, so that the loop wakes once per burst and flushes once. It costs two thread wake-ups
 * per burst, so it serves only where the event loop cannot watch the TAP itself (the NIO transport,
 * whose selector takes no foreign file descriptor; see {@link EventLoopTapReader}). The hand-off
 * is bounded: with {@value #MAX_BATCHES_IN_FLIGHT} batches not yet taken, the reader stops reading
 * and the kernel's queue of the TAP device holds (and, when full, drops) what comes next, rather
 * than the node's memory.
 */
final class ThreadedTapReader implements TapReader {
    static final int MAX_BATCH = 32;
    static final int MAX_BATCHES_IN_FLIGHT = 16;

    private final TapDevice tap;
    private final TapFrameReader frames;
    private final Executor loop;
    private final Consumer<List<ByteBuf>> onBatch;
    private final Semaphore inFlight = new Semaphore(MAX_BATCHES_IN_FLIGHT);
    private final Thread reader;
    private volatile boolean running = true;
    private volatile long stalls;

    /** Starts the reader thread; {@code onBatch} runs on {@code loop} and owns the buffers it is given. */
    ThreadedTapReader(TapDevice tap, TapFrameReader frames, Executor loop, Consumer<List<ByteBuf>> onBatch) {
        this.tap = tap;
        this.frames = frames;
        this.loop = loop;
        this.onBatch = onBatch;
        this.reader = new Thread(this::read, "tap-reader-" + tap.name());
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public String mode() {
        return "thread";
    }

    /** Times the reader found the event loop {@value #MAX_BATCHES_IN_FLIGHT} batches behind. */
    @Override
    public long stalls() {
        return stalls;
    }

    private void read() {
        List<ByteBuf> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (running) {
                ByteBuf frame = frames.next();
                if (frame != null) {
                    batch.add(frame);
                    if (batch.size() < MAX_BATCH) {
                        continue;
                    }
                }
                if (!batch.isEmpty()) {
                    handOver(batch);
                    batch = new ArrayList<>(MAX_BATCH);
                }
                if (frame == null) {
                    tap.awaitReadable(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            frames.close();
            batch.forEach(ByteBuf::release);
        }
    }

    private void handOver(List<ByteBuf> batch) throws InterruptedException {
        if (!inFlight.tryAcquire()) {
            stalls++;
            while (running && !inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                Thread.onSpinWait();
            }
            if (!running) {
                batch.forEach(ByteBuf::release);
                return;
            }
        }
        loop.execute(() -> {
            try {
                onBatch.accept(batch);
            } finally {
                inFlight.release();
            }
        });
    }

    @Override
    public void close() {
        running = false;
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
