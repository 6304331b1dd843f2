package io.ringswitch.overlay.tap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The overlay port as the node uses it: a thread reads frames from the TAP device into pooled
 * direct buffers until none is waiting (or a batch is full) and hands the batch to the node's
 * event loop as one task, so that the loop wakes once per burst and flushes once. The hand-off is
 * bounded: with {@value #MAX_BATCHES_IN_FLIGHT} batches not yet taken, the reader stops reading
 * and the kernel's queue of the TAP device holds (and, when full, drops) what comes next, rather
 * than the node's memory. With offloads, the virtio-net header of each frame sits in the bytes
 * just before its reader index.
 */
public final class TapPort implements AutoCloseable {
    static final int MAX_BATCH = 32;
    static final int MAX_BATCHES_IN_FLIGHT = 16;
    /** Largest super-frame a TAP device with TSO hands over: 64 KB of IP and an Ethernet header with a tag. */
    static final int SUPER_FRAME = 65_535 + 18;

    private final TapDevice tap;
    private final ByteBufAllocator alloc;
    private final int frameBufferSize;
    private final int maxFrame;
    private final int headroom;
    private final Executor loop;
    private final Consumer<List<ByteBuf>> onBatch;
    private final Semaphore inFlight = new Semaphore(MAX_BATCHES_IN_FLIGHT);
    private final Thread reader;
    private volatile boolean running = true;
    private volatile long stalls;

    /**
     * Starts reading. Each frame of up to {@code maxFrame} bytes (super-frames aside) is read
     * {@code headroom} bytes into a buffer with {@code tailroom} after it, so that headers can be
     * written in front of it, and a tag after it, in place.
     * {@code onBatch} runs on {@code loop} and owns the buffers it is given.
     */
    public TapPort(TapDevice tap, ByteBufAllocator alloc, int headroom, int maxFrame, int tailroom, Executor loop,
                   Consumer<List<ByteBuf>> onBatch) {
        this.maxFrame = maxFrame;
        this.tap = tap;
        this.headroom = headroom;
        this.alloc = alloc;
        this.frameBufferSize = headroom + maxFrame + tailroom;
        this.loop = loop;
        this.onBatch = onBatch;
        this.reader = new Thread(this::read, "tap-reader-" + tap.name());
        reader.setDaemon(true);
        reader.start();
    }

    /** Writes one plain frame to the TAP device; false when the kernel refused it. */
    public boolean write(ByteBuf frame) {
        return tap.writeFrame(frame);
    }

    /** Writes a virtio-net header and a frame (offloads on); false when the kernel refused it. */
    public boolean writeWithHeader(ByteBuf vnetAndFrame) {
        return tap.write(vnetAndFrame);
    }

    /** Whether frames carry virtio-net headers (the device was opened with offloads). */
    public boolean offloads() {
        return tap.offloads();
    }

    /** Times the reader found the event loop {@value #MAX_BATCHES_IN_FLIGHT} batches behind. */
    public long stalls() {
        return stalls;
    }

    private void read() {
        List<ByteBuf> batch = new ArrayList<>(MAX_BATCH);
        // With offloads a read may bring a 64 KB super-frame: read into a large buffer, and copy
        // the common small frames out of it so that large buffers are in flight only for
        // super-frames. The virtio-net header stays just in front of the frame.
        int lead = tap.offloads() ? TapDevice.VNET_HEADER : 0;
        int readSize = tap.offloads() ? headroom + SUPER_FRAME + TapDevice.VNET_HEADER : frameBufferSize;
        ByteBuf buf = null;
        try {
            while (running) {
                if (buf == null) {
                    buf = alloc.directBuffer(readSize, readSize);
                }
                buf.setIndex(headroom - lead, headroom - lead);
                int n = tap.read(buf);
                if (n > lead) {
                    buf.readerIndex(headroom);
                    if (lead > 0 && buf.readableBytes() <= maxFrame) {
                        ByteBuf small = alloc.directBuffer(frameBufferSize, frameBufferSize);
                        small.setIndex(headroom - lead, headroom - lead).writeBytes(buf, headroom - lead, n);
                        batch.add(small.readerIndex(headroom));
                    } else {
                        batch.add(buf);
                        buf = null;
                    }
                    if (batch.size() < MAX_BATCH) {
                        continue;
                    }
                }
                if (!batch.isEmpty()) {
                    handOver(batch);
                    batch = new ArrayList<>(MAX_BATCH);
                }
                if (n <= 0) {
                    tap.awaitReadable(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (buf != null) {
                buf.release();
            }
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
