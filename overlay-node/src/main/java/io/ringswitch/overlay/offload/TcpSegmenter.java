package io.ringswitch.overlay.offload;

import io.netty.buffer.ByteBuf;

/**
 * Cuts a TCP super-frame that a TAP device handed over (virtio-net GSO) into frames of at most
 * {@code gso_size} bytes of payload, each one complete: its own IP length, IPv4 identification and
 * header checksum, TCP sequence number and flags (FIN and PSH on the last only, CWR on the first
 * only) and a full TCP checksum, as the kernel's {@code tcp_gso_segment} would. Also completes
 * the checksum of a single frame the kernel left partial ({@code NEEDS_CSUM}).
 */
public final class TcpSegmenter {
    private TcpSegmenter() {
    }

    /**
     * Writes the segments of the frame (its readable bytes) one after another into {@code out},
     * each after {@code gap} bytes and before {@code tail} bytes left for the caller (the
     * overlay's envelope and record header, and the record's tag), so that every datagram but the
     * last has the same size: {@code gap + headers + gso_size + tail}.
     *
     * @return the segment size with the gap and tail, or -1 when the frame is no TCP super-frame
     *         that this code can cut (nothing is written then)
     */
    public static int segment(ByteBuf frame, VirtioNetHeader vnet, int gap, int tail, ByteBuf out) {
        int at = frame.readerIndex();
        int length = frame.readableBytes();
        TcpHeaders h = TcpHeaders.parse(frame, at, length);
        int mss = vnet.gsoSize();
        if (h == null || mss <= 0 || !vnet.segmented()) {
            return -1;
        }
        int headers = h.payload();
        int payload = length - headers;
        long seq = frame.getUnsignedInt(at + h.l4() + 4);
        int flags = frame.getUnsignedByte(at + h.l4() + 13);
        int id = h.ipv6() ? 0 : frame.getUnsignedShort(at + h.l3() + 4);
        int count = Math.max(1, (payload + mss - 1) / mss);
        for (int i = 0; i < count; i++) {
            int segLength = Math.min(mss, payload - i * mss);
            out.writeZero(gap);
            int s = out.writerIndex();
            out.writeBytes(frame, at, headers);
            out.writeBytes(frame, at + headers + i * mss, segLength);
            if (!h.ipv6()) {
                out.setShort(s + h.l3() + 4, id + i);
            }
            h.setIpLength(out, s, segLength);
            out.setInt(s + h.l4() + 4, (int) (seq + (long) i * mss));
            int f = flags;
            if (i < count - 1) {
                f &= ~(TcpHeaders.FIN | TcpHeaders.PSH);
            }
            if (i > 0) {
                f &= ~TcpHeaders.CWR;
            }
            out.setByte(s + h.l4() + 13, f);
            h.setTcpChecksum(out, s, segLength);
            out.writeZero(tail);
        }
        return gap + headers + mss + tail;
    }

    /**
     * The length of the frame's Ethernet, IP and TCP headers (what every segment repeats), or -1
     * when it is no TCP frame this code reads. The virtio-net header's {@code hdr_len} is only a
     * hint (OVS puts the whole length there), so segment sizes are worked out from this.
     */
    public static int headerLength(ByteBuf frame) {
        TcpHeaders h = TcpHeaders.parse(frame, frame.readerIndex(), frame.readableBytes());
        return h == null ? -1 : h.payload();
    }

    /**
     * Completes a checksum the kernel left partial: the sum from {@code csum_start} to the end,
     * seeded with the pseudo-header sum that sits where the checksum goes (virtio 1.2 §5.1.6.2).
     */
    public static boolean completeChecksum(ByteBuf frame, VirtioNetHeader vnet) {
        int at = frame.readerIndex();
        int start = vnet.csumStart();
        int where = start + vnet.csumOffset();
        if (!vnet.needsChecksum() || where + 2 > frame.readableBytes() || start >= frame.readableBytes()) {
            return !vnet.needsChecksum();
        }
        long sum = Checksums.add(0, frame, at + start, frame.readableBytes() - start);
        int value = Checksums.finish(sum);
        // UDP sends a computed zero as all ones (RFC 768); TCP's field is never read as "none".
        frame.setShort(at + where, value == 0 ? 0xffff : value);
        return true;
    }
}
