package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.ringswitch.overlay.ring.message.RingMessageCodec;

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
 * Type {@link #TYPE_RING} carries one ring message ({@code RingMessageCodec}). Type
 * {@link #TYPE_FRAME} carries one Ethernet frame to a directly linked site, whose link tells the
 * sender: the envelope is written in place into the headroom the frame was read with, so that the
 * buffer read from the TAP is the one sent. Frames to sites further away travel inside routed ring
 * messages.
 */
public final class WireFormat {
    public static final int MAGIC = 0x5253;
    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 8;
    public static final int TYPE_RING = 1;
    public static final int TYPE_FRAME = 2;
    /** A sealed record holding a ring message, a frame, or nothing (a keepalive). */
    public static final int TYPE_SEALED_RING = 3;
    public static final int TYPE_SEALED_FRAME = 4;
    public static final int TYPE_SEALED_KEEPALIVE = 5;
    /** A sealed record for a relay node: inside, a clear {@link #TYPE_RELAY} datagram. */
    public static final int TYPE_SEALED_RELAY = 6;
    /**
     * A datagram through a relay: a ring address (20 bytes), then a sealed record or handshake
     * message of the two ends. The envelope's reserved field says which leg: {@link #RELAY_TO}
     * (to the relay; the address is the far end to pass it to) or {@link #RELAY_FROM} (from the
     * relay; the address is the end it came from). Sealed, the field stays and is authenticated.
     */
    public static final int TYPE_RELAY = 7;
    public static final int RELAY_TO = 0;
    public static final int RELAY_FROM = 1;
    /** The link handshake's messages (Noise XX's three, and the cookie reply under load). */
    public static final int TYPE_HANDSHAKE_INIT = 0x10;
    public static final int TYPE_HANDSHAKE_RESPONSE = 0x11;
    public static final int TYPE_HANDSHAKE_FINISH = 0x12;
    public static final int TYPE_COOKIE = 0x13;
    /**
     * Room kept in front of a frame read from the TAP: the envelope today, and the record header
     * and nonce that link encryption adds (#8) without moving the frame.
     */
    public static final int HEADROOM = 64;
    /** Room kept after a frame for an authentication tag (#8). */
    public static final int TAILROOM = 16;
    /**
     * What sealing adds between the envelope and the payload (receiver index and counter) and
     * after it (the tag): {@code RecordCipher.HEADER} and {@code RecordCipher.TAG}.
     */
    public static final int RECORD_HEADER = 12;
    public static final int RECORD_TAG = 16;
    /**
     * Largest payload accepted: a jumbo frame, a routed header and a record's header and tag; or a
     * protocol's largest routed payload with its source's signature.
     */
    public static final int MAX_PAYLOAD = 9440 + RingMessageCodec.MAX_SOURCE_PROOF;

    /** Why a datagram was refused; each reason has its own counter. */
    public enum Reject {
        TRUNCATED, BAD_MAGIC, UNKNOWN_VERSION, UNKNOWN_TYPE, LENGTH_MISMATCH, OVERSIZED, MALFORMED_MESSAGE,
        /** A clear datagram where links are secured: not from a session. */
        UNAUTHENTICATED,
        /** A link message naming another sender than the one its session's certificate proved. */
        ADDRESS_MISMATCH
    }

    private WireFormat() {
    }

    /**
     * Turns a frame read with {@link #HEADROOM} into a datagram in place: writes the envelope just
     * before the frame and moves the reader index back onto it.
     */
    static ByteBuf frameDatagram(ByteBuf frame) {
        int start = frame.readerIndex() - HEADER_LENGTH;
        setHeader(frame, start, TYPE_FRAME, frame.readableBytes());
        return frame.readerIndex(start);
    }

    /** Writes a header at {@code index} without moving indexes. */
    public static void setHeader(ByteBuf buf, int index, int type, int payloadLength) {
        setHeader(buf, index, type, payloadLength, 0);
    }

    /** Writes a header with {@code flags} in its reserved field (a relay's leg). */
    public static void setHeader(ByteBuf buf, int index, int type, int payloadLength, int flags) {
        buf.setShort(index, MAGIC);
        buf.setByte(index + 2, VERSION);
        buf.setByte(index + 3, type);
        buf.setShort(index + 4, payloadLength);
        buf.setShort(index + 6, flags);
    }

    /** The type of the envelope at {@code index} (at least the first four bytes there). */
    public static int type(ByteBuf buf, int index) {
        return buf.getUnsignedByte(index + 3);
    }

    /** The reserved field of the envelope at {@code index}: a relay's leg. */
    public static int flags(ByteBuf buf, int index) {
        return buf.getUnsignedShort(index + 6);
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
        if (type != TYPE_RING && type != TYPE_FRAME) {
            return rejected(Reject.UNKNOWN_TYPE);
        }
        datagram.skipBytes(HEADER_LENGTH);
        return type;
    }

    /**
     * Where the datagram at {@code index} ends when {@code available} bytes follow it (several
     * datagrams of a GRO run lie back to back): its envelope's length when the envelope looks
     * whole, otherwise all that is left, for {@link #decode} to refuse.
     */
    public static int datagramLength(ByteBuf buf, int index, int available) {
        if (available < HEADER_LENGTH || buf.getUnsignedShort(index) != MAGIC) {
            return available;
        }
        int length = HEADER_LENGTH + buf.getUnsignedShort(index + 4);
        return length <= available ? length : available;
    }

    /** The reason behind a negative result of {@link #decode}. */
    static Reject reason(int decodeResult) {
        return Reject.values()[-decodeResult - 1];
    }

    static int rejected(Reject reason) {
        return -reason.ordinal() - 1;
    }
}
