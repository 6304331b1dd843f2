package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;

/**
 * The overlay's datagram envelope, version 1. The only place that knows its byte offsets.
 *
 * <pre>
 *  0      2        3       4          6          8
 *  +------+--------+-------+----------+----------+----------------------+
 *  | "RS" | version| type  | length   | reserved | payload (length B)   |
 *  +------+--------+-------+----------+----------+----------------------+
 *  all fields big-endian; length counts the payload only and must match the datagram
 * </pre>
 * Type {@link #TYPE_RING} carries one ring message ({@code RingMessageCodec}); Ethernet frames
 * travel inside ring messages, routed or broadcast.
 */
final class WireFormat {
    static final int MAGIC = 0x5253;
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 8;
    static final int TYPE_RING = 1;
    /** Largest payload accepted: a jumbo frame and a routed header. */
    static final int MAX_PAYLOAD = 9400;

    /** Why a datagram was refused; each reason has its own counter. */
    enum Reject {
        TRUNCATED, BAD_MAGIC, UNKNOWN_VERSION, UNKNOWN_TYPE, LENGTH_MISMATCH, OVERSIZED, MALFORMED_MESSAGE
    }

    private WireFormat() {
    }

    /** Writes a header at {@code index} without moving indexes. */
    static void setHeader(ByteBuf buf, int index, int type, int payloadLength) {
        buf.setShort(index, MAGIC);
        buf.setByte(index + 2, VERSION);
        buf.setByte(index + 3, type);
        buf.setShort(index + 4, payloadLength);
        buf.setShort(index + 6, 0);
    }

    /**
     * Checks one datagram. On success skips the header, leaving exactly the payload readable, and
     * returns the type; otherwise returns the reject reason's ordinal negated minus one and leaves
     * the buffer as it was. Allocates nothing.
     */
    static int decode(ByteBuf datagram) {
        int start = datagram.readerIndex();
        int size = datagram.readableBytes();
        if (size < HEADER_LENGTH) {
            return rejected(Reject.TRUNCATED);
        }
        if (datagram.getUnsignedShort(start) != MAGIC) {
            return rejected(Reject.BAD_MAGIC);
        }
        if (datagram.getUnsignedByte(start + 2) != VERSION) {
            return rejected(Reject.UNKNOWN_VERSION);
        }
        int type = datagram.getUnsignedByte(start + 3);
        int length = datagram.getUnsignedShort(start + 4);
        if (length > MAX_PAYLOAD) {
            return rejected(Reject.OVERSIZED);
        }
        if (length != size - HEADER_LENGTH) {
            return rejected(size - HEADER_LENGTH < length ? Reject.TRUNCATED : Reject.LENGTH_MISMATCH);
        }
        if (type != TYPE_RING) {
            return rejected(Reject.UNKNOWN_TYPE);
        }
        datagram.skipBytes(HEADER_LENGTH);
        return type;
    }

    /** The reason behind a negative result of {@link #decode}. */
    static Reject reason(int decodeResult) {
        return Reject.values()[-decodeResult - 1];
    }

    static int rejected(Reject reason) {
        return -reason.ordinal() - 1;
    }
}
