package io.ringswitch.overlay.offload;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins the TCP segments of one flow that arrive in one burst back into a super-frame, so that a
 * TAP device opened with offloads takes them in one write (virtio-net GSO, {@code NEEDS_CSUM}),
 * as Linux's GRO does. A segment joins a super-frame when it continues it exactly: same flow,
 * the next sequence number, the same acknowledgement, window, TCP options and IP fields, only ACK
 * and PSH set, and no more payload than the first segment (a shorter one, or one with PSH, ends
 * the super-frame). Everything else is written as it came, after whatever of its flow is
 * pending, so that no segment overtakes another of its flow.
 */
public final class TcpCoalescer {
    /** Where finished frames go; neither method takes ownership of the buffer. */
    public interface Sink {
        /** A joined super-frame: a {@link VirtioNetHeader} and then the frame. */
        void write(ByteBuf vnetAndFrame);

        /** A frame as it came, with nothing for the kernel to do. */
        void writeFrame(ByteBuf frame);
    }

    static final int MAX_SUPER_FRAME = 65_535;
    private static final int MAX_OPEN = 8;

    /**
     * A run being joined. Its first segment is held in a buffer of its own size; only when a second
     * one joins are they copied into a buffer with room for a super-frame and its header.
     */
    private static final class Pending {
        final TcpHeaders h;
        final int mss;
        ByteBuf data;
        int at;
        boolean joined;
        long nextSeq;
        int segments = 1;
        boolean closed;

        Pending(ByteBuf first, TcpHeaders h, int mss, long nextSeq) {
            this.data = first;
            this.at = first.readerIndex();
            this.h = h;
            this.mss = mss;
            this.nextSeq = nextSeq;
        }
    }

    private final ByteBufAllocator alloc;
    private final Sink sink;
    private final List<Pending> open = new ArrayList<>(MAX_OPEN);
    private long joined;
    private long written;

    public TcpCoalescer(ByteBufAllocator alloc, Sink sink) {
        this.alloc = alloc;
        this.sink = sink;
    }

    /** Segments that went into a super-frame with others. */
    public long joined() {
        return joined;
    }

    /** Frames written to the sink. */
    public long written() {
        return written;
    }

    /**
     * Takes a frame (its readable bytes; the buffer is neither kept nor released here): joins it
     * to a pending super-frame, holds a copy as the start of one, or writes it at once.
     */
    public void offer(ByteBuf frame) {
        int at = frame.readerIndex();
        int length = frame.readableBytes();
        TcpHeaders h = TcpHeaders.parse(frame, at, length);
        int payload = h == null ? 0 : length - h.payload();
        int flags = h == null ? 0 : frame.getUnsignedByte(at + h.l4() + 13);
        boolean joinable = h != null && payload > 0 && (flags & ~(TcpHeaders.ACK | TcpHeaders.PSH)) == 0
                && (flags & TcpHeaders.ACK) != 0;
        Pending same = h == null ? null : find(frame, at, h);
        if (joinable && same != null && canJoin(same, frame, at, h, payload)) {
            if (!same.joined) {
                ByteBuf buf = alloc.directBuffer(VirtioNetHeader.LENGTH + MAX_SUPER_FRAME);
                buf.writerIndex(VirtioNetHeader.LENGTH).writeBytes(same.data, same.at, same.data.readableBytes());
                same.data.release();
                same.data = buf;
                same.at = VirtioNetHeader.LENGTH;
                same.joined = true;
            }
            same.data.writeBytes(frame, at + h.payload(), payload);
            same.nextSeq = (same.nextSeq + payload) & 0xffffffffL;
            same.segments++;
            if ((flags & TcpHeaders.PSH) != 0) {
                same.data.setByte(same.at + h.l4() + 13, flags);
                same.closed = true;
            }
            if (payload < same.mss) {
                same.closed = true;
            }
            return;
        }
        if (same != null) {
            finish(same);
        }
        if (!joinable) {
            written++;
            sink.writeFrame(frame);
            return;
        }
        if (open.size() == MAX_OPEN) {
            finish(open.get(0));
        }
        ByteBuf first = alloc.directBuffer(length).writeBytes(frame, at, length);
        Pending p = new Pending(first, h, payload, (frame.getUnsignedInt(at + h.l4() + 4) + payload) & 0xffffffffL);
        p.closed = (flags & TcpHeaders.PSH) != 0;
        open.add(p);
    }

    /** Writes every pending super-frame: the end of a burst. */
    public void flush() {
        while (!open.isEmpty()) {
            finish(open.get(0));
        }
    }

    private Pending find(ByteBuf frame, int at, TcpHeaders h) {
        for (Pending p : open) {
            if (p.h.equals(h) && sameFlow(p.data, p.at, frame, at, h)) {
                return p;
            }
        }
        return null;
    }

    /** Same addresses and ports. */
    private static boolean sameFlow(ByteBuf a, int aa, ByteBuf b, int ba, TcpHeaders h) {
        int addresses = h.ipv6() ? 8 : 12;
        int addressLength = h.ipv6() ? 32 : 8;
        return a.getUnsignedShort(aa + 12) == b.getUnsignedShort(ba + 12)
                && equal(a, aa + h.l3() + addresses, b, ba + h.l3() + addresses, addressLength)
                && a.getInt(aa + h.l4()) == b.getInt(ba + h.l4());
    }

    private boolean canJoin(Pending p, ByteBuf frame, int at, TcpHeaders h, int payload) {
        int pa = p.at;
        ByteBuf head = p.data;
        return !p.closed
                && payload <= p.mss
                && frame.getUnsignedInt(at + h.l4() + 4) == p.nextSeq
                && head.writerIndex() - pa + payload <= MAX_SUPER_FRAME
                // acknowledgement, data offset/flags byte aside, window; then options
                && frame.getInt(at + h.l4() + 8) == head.getInt(pa + h.l4() + 8)
                && frame.getShort(at + h.l4() + 14) == head.getShort(pa + h.l4() + 14)
                && equal(frame, at + h.l4() + 20, head, pa + h.l4() + 20, h.tcpHeaderLength() - 20)
                && sameIpFields(frame, at, head, pa, h)
                && equal(frame, at, head, pa, h.l3());
    }

    /** TOS/traffic class, TTL/hop limit and DF: the IP fields that must not differ within a flow's run. */
    private static boolean sameIpFields(ByteBuf a, int aa, ByteBuf b, int ba, TcpHeaders h) {
        if (h.ipv6()) {
            return a.getInt(aa + h.l3()) == b.getInt(ba + h.l3()) && a.getByte(aa + h.l3() + 7) == b.getByte(ba + h.l3() + 7);
        }
        return a.getByte(aa + h.l3() + 1) == b.getByte(ba + h.l3() + 1)
                && a.getByte(aa + h.l3() + 6) == b.getByte(ba + h.l3() + 6)
                && a.getByte(aa + h.l3() + 8) == b.getByte(ba + h.l3() + 8)
                && equal(a, aa + h.l3() + 20, b, ba + h.l3() + 20, h.l4() - h.l3() - 20);
    }

    private static boolean equal(ByteBuf a, int ai, ByteBuf b, int bi, int length) {
        return length <= 0 || ByteBufUtil.equals(a, ai, b, bi, length);
    }

    private void finish(Pending p) {
        open.remove(p);
        written++;
        ByteBuf buf = p.data;
        try {
            if (!p.joined) {
                sink.writeFrame(buf);
                return;
            }
            int f = VirtioNetHeader.LENGTH;
            TcpHeaders h = p.h;
            joined += p.segments;
            int payload = buf.writerIndex() - f - h.payload();
            h.setIpLength(buf, f, payload);
            // Partial checksum: the pseudo-header sum, which the kernel completes per segment.
            buf.setShort(f + h.l4() + 16, Checksums.fold(h.pseudoHeader(buf, f, payload)));
            new VirtioNetHeader(VirtioNetHeader.NEEDS_CSUM, h.ipv6() ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4,
                    h.payload(), p.mss, h.l4(), 16).write(buf, 0);
            sink.write(buf);
        } finally {
            buf.release();
        }
    }
}
