package io.ringswitch.overlay.tap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overlay port as the node uses it: frames read from the TAP device reach the node's event
 * loop in batches of pooled direct buffers, and frames for the bridge are written to it from the
 * loop. On the native epoll transport the loop reads the TAP itself ({@link EventLoopTapReader}),
 * so a frame meets no thread hand-off between the bridge and the UDP socket; on any other a thread
 * reads it and hands batches over ({@link ThreadedTapReader}). With offloads, the virtio-net
 * header of each frame sits in the bytes just before its reader index.
 */
public final class TapPort implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TapPort.class);

    private final TapDevice tap;
    private final TapReader reader;

    private TapPort(TapDevice tap, TapReader reader) {
        this.tap = tap;
        this.reader = reader;
    }

    /**
     * Starts reading. Each frame of up to {@code maxFrame} bytes (super-frames aside) is read
     * {@code headroom} bytes into a buffer with {@code tailroom} after it, so that headers can be
     * written in front of it, and a tag after it, in place. {@code onBatch} runs on {@code loop}
     * and owns the buffers it is given.
     *
     * <p>Should the epoll loop refuse the TAP's descriptor, a reader thread serves instead, with a
     * warning: the node is slower then, not down.
     */
    public static TapPort start(TapDevice tap, ByteBufAllocator alloc, int headroom, int maxFrame, int tailroom,
                                EventLoop loop, Consumer<List<ByteBuf>> onBatch) {
        TapReader reader = null;
        if (EventLoopTapReader.serves(loop)) {
            try {
                reader = EventLoopTapReader.register(tap, new TapFrameReader(tap, alloc, headroom, maxFrame, tailroom),
                        (IoEventLoop) loop, onBatch);
                log.info("TAP {} is read on the node's epoll event loop", tap.name());
            } catch (IOException e) {
                log.warn("TAP {}: the event loop refused it ({}); a thread of its own reads it", tap.name(),
                        e.getMessage());
            }
        }
        if (reader == null) {
            reader = new ThreadedTapReader(tap, new TapFrameReader(tap, alloc, headroom, maxFrame, tailroom), loop,
                    onBatch);
            log.info("TAP {} is read by a thread of its own, which hands batches to the event loop", tap.name());
        }
        return new TapPort(tap, reader);
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

    /** How the TAP is read: {@code event-loop} or {@code thread}. */
    public String readMode() {
        return reader.mode();
    }

    /**
     * Times the reader left frames waiting so that the event loop could serve others: its read
     * budget spent (on the loop), or its hand-off full (threaded).
     */
    public long stalls() {
        return reader.stalls();
    }

    /** Stops reading (the device stays open: its owner closes it). */
    @Override
    public void close() {
        reader.close();
    }
}
