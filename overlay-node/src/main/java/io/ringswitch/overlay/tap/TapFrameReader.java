package io.ringswitch.overlay.tap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Turns the TAP device's waiting frames into pooled direct buffers, one frame per call, each
 * {@code headroom} bytes into its buffer with {@code tailroom} free after it so that headers and
 * a tag can be written in place. With offloads a read may bring a 64 KB super-frame: the read
 * goes into a large buffer, and the common small frames are copied out of it so that large
 * buffers leave only with super-frames; the virtio-net header stays just in front of the frame.
 * Used by one thread at a time.
 */
final class TapFrameReader implements AutoCloseable {
    /** Largest super-frame a TAP device with TSO hands over: 64 KB of IP and an Ethernet header with a tag. */
    static final int SUPER_FRAME = 65_535 + 18;

    private final TapDevice tap;
    private final ByteBufAllocator alloc;
    private final int headroom;
    private final int maxFrame;
    private final int frameBufferSize;
    private final int lead;
    private final int readSize;
    private ByteBuf buf;

    TapFrameReader(TapDevice tap, ByteBufAllocator alloc, int headroom, int maxFrame, int tailroom) {
        this.tap = tap;
        this.alloc = alloc;
        this.headroom = headroom;
        this.maxFrame = maxFrame;
        this.frameBufferSize = headroom + maxFrame + tailroom;
        this.lead = tap.offloads() ? TapDevice.VNET_HEADER : 0;
        this.readSize = tap.offloads() ? headroom + SUPER_FRAME + TapDevice.VNET_HEADER : frameBufferSize;
    }

    /**
     * Reads the next frame; the caller owns the buffer, whose reader index is the frame's first
     * byte (with offloads, its virtio-net header lies just before).
     *
     * @return the frame, or null when none is waiting (or the read brought no frame)
     */
    ByteBuf next() {
        if (buf == null) {
            buf = alloc.directBuffer(readSize, readSize);
        }
        buf.setIndex(headroom - lead, headroom - lead);
        int n = tap.read(buf);
        if (n <= lead) {
            return null;
        }
        buf.readerIndex(headroom);
        if (lead > 0 && buf.readableBytes() <= maxFrame) {
            ByteBuf small = alloc.directBuffer(frameBufferSize, frameBufferSize);
            small.setIndex(headroom - lead, headroom - lead).writeBytes(buf, headroom - lead, n);
            return small.readerIndex(headroom);
        }
        ByteBuf frame = buf;
        buf = null;
        return frame;
    }

    /** Gives back the read buffer kept between calls. */
    @Override
    public void close() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }
}
