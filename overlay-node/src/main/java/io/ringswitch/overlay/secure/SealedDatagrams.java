package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.security.record.RecordCipher;
import io.ringswitch.overlay.underlay.WireFormat;

/**
 * Turns clear datagrams into sealed ones in place and back; the only place that knows where a
 * record's parts lie in a datagram:
 * <pre>
 *   clear:   [LEAD free] envelope(type 1|2|7) | payload [TAIL free]
 *   sealed:  envelope(type 3|4|5|6) | receiver | counter | ciphertext | tag
 *   relay (type 7, sealed as 6):  envelope(leg) | ring address (20) | inner datagram (sealed, or a handshake message)
 * </pre>
 * A GSO run is slots of {@code segmentSize} bytes laid out as the clear form; each slot becomes
 * one sealed record of the same size, so the run keeps its segment size.
 */
final class SealedDatagrams {
    /** Free bytes a clear datagram needs in front of its envelope and behind its payload. */
    static final int LEAD = RecordCipher.HEADER;
    static final int TAIL = RecordCipher.TAG;
    private static final int HEADER = WireFormat.HEADER_LENGTH;

    private SealedDatagrams() {
    }

    /** A clear ring message, frame or relay datagram, which must be sealed before it leaves. */
    static boolean isClear(DatagramPacket packet) {
        ByteBuf c = packet.content();
        return isClear(c, c.readerIndex() + (packet instanceof SegmentedDatagramPacket ? LEAD : 0));
    }

    /** {@link #isClear(DatagramPacket)} for one datagram, its envelope at the reader index. */
    static boolean isClear(ByteBuf c) {
        return isClear(c, c.readerIndex());
    }

    private static boolean isClear(ByteBuf c, int at) {
        if (c.writerIndex() - at < HEADER) {
            return false;
        }
        int type = WireFormat.type(c, at);
        return type == WireFormat.TYPE_RING || type == WireFormat.TYPE_FRAME || type == WireFormat.TYPE_RELAY;
    }

    /** Seals a clear datagram (or each slot of a GSO run) in place; false when it lacks the room. */
    static boolean seal(RecordCipher cipher, DatagramPacket packet) {
        ByteBuf c = packet.content();
        if (packet instanceof SegmentedDatagramPacket run) {
            int size = run.segmentSize();
            for (int slot = c.readerIndex(); slot < c.writerIndex(); slot += size) {
                int length = c.getUnsignedShort(slot + LEAD + 4);
                ByteBuf d = c.duplicate().setIndex(slot, slot + LEAD + HEADER + length);
                sealAt(cipher, d, slot, c.getUnsignedByte(slot + LEAD + 3), length);
            }
            return true;
        }
        return seal(cipher, c);
    }

    /** Seals one clear datagram (its envelope at the reader index) in place; false when it lacks the room. */
    static boolean seal(RecordCipher cipher, ByteBuf c) {
        int at = c.readerIndex();
        if (at < LEAD || c.maxCapacity() - c.writerIndex() < TAIL) {
            return false;
        }
        sealAt(cipher, c, at - LEAD, WireFormat.type(c, at), c.getUnsignedShort(at + 4));
        c.readerIndex(at - LEAD);
        return true;
    }

    private static void sealAt(RecordCipher cipher, ByteBuf buf, int envelope, int clearType, int length) {
        int type = switch (clearType) {
            case WireFormat.TYPE_RING -> WireFormat.TYPE_SEALED_RING;
            case WireFormat.TYPE_RELAY -> WireFormat.TYPE_SEALED_RELAY;
            default -> WireFormat.TYPE_SEALED_FRAME;
        };
        int flags = WireFormat.flags(buf, envelope + LEAD);
        WireFormat.setHeader(buf, envelope, type, RecordCipher.HEADER + length + RecordCipher.TAG, flags);
        cipher.seal(buf, envelope, envelope + HEADER);
    }

    /**
     * A clear relay datagram (type 7) in a new buffer with room to seal it: {@code leg},
     * {@code address}, then a copy of {@code inner}'s readable bytes. Relayed records are the slow
     * path: the copy buys the headroom for the outer record.
     */
    static ByteBuf relay(ByteBufAllocator alloc, int leg, RingAddress address, ByteBuf inner) {
        int length = RingAddress.BYTES + inner.readableBytes();
        ByteBuf b = alloc.directBuffer(LEAD + HEADER + length + TAIL);
        WireFormat.setHeader(b, LEAD, WireFormat.TYPE_RELAY, length, leg);
        b.writerIndex(LEAD + HEADER);
        b.writeBytes(address.toBytes());
        b.writeBytes(inner, inner.readerIndex(), inner.readableBytes());
        return b.readerIndex(LEAD);
    }

    /** Whether an inner datagram of {@code length} bytes still fits the envelope once relayed. */
    static boolean relayFits(int length) {
        return RecordCipher.HEADER + RingAddress.BYTES + length + RecordCipher.TAG <= WireFormat.MAX_PAYLOAD;
    }

    /** After {@link #open} of a type 6 record: its leg ({@link WireFormat#RELAY_TO} or {@link WireFormat#RELAY_FROM}). */
    static int relayLeg(ByteBuf opened) {
        return WireFormat.flags(opened, 0);
    }

    /** After {@link #open} of a type 6 record: whether it holds an address and an inner envelope. */
    static boolean relayWhole(ByteBuf opened) {
        return opened.writerIndex() - HEADER - RecordCipher.HEADER >= RingAddress.BYTES + HEADER;
    }

    /** After {@link #open} of a whole type 6 record: the address it names. */
    static RingAddress relayAddress(ByteBuf opened) {
        byte[] a = new byte[RingAddress.BYTES];
        opened.getBytes(HEADER + RecordCipher.HEADER, a);
        return RingAddress.of(a);
    }

    /** After {@link #open} of a whole type 6 record: the inner datagram, a slice (not retained). */
    static ByteBuf relayInner(ByteBuf opened) {
        int at = HEADER + RecordCipher.HEADER + RingAddress.BYTES;
        return opened.slice(at, opened.writerIndex() - at);
    }

    /** An empty sealed record: confirms a session to the peer. */
    static ByteBuf keepalive(ByteBufAllocator alloc, RecordCipher cipher) {
        ByteBuf b = alloc.directBuffer(HEADER + RecordCipher.HEADER + RecordCipher.TAG);
        b.writerIndex(HEADER + RecordCipher.HEADER);
        WireFormat.setHeader(b, 0, WireFormat.TYPE_SEALED_KEEPALIVE, RecordCipher.HEADER + RecordCipher.TAG);
        cipher.seal(b, 0, HEADER);
        return b;
    }

    /** The receiver index of a sealed datagram (at least {@link #minimum} bytes). */
    static int receiver(ByteBuf sealed) {
        return sealed.getInt(HEADER);
    }

    /** The record counter of a sealed datagram (at least {@link #minimum} bytes); authentic only once opened. */
    static long counter(ByteBuf sealed) {
        return sealed.getLong(HEADER + 4);
    }

    static int minimum() {
        return HEADER + RecordCipher.HEADER + RecordCipher.TAG;
    }

    /** Opens a sealed datagram (its envelope at index 0) in place. */
    static RecordCipher.Result open(RecordCipher cipher, ByteBuf sealed) {
        return cipher.open(sealed, 0, HEADER);
    }

    /** After {@link #open}: a retained slice of the plaintext. */
    static ByteBuf plaintext(ByteBuf opened) {
        int plain = HEADER + RecordCipher.HEADER;
        return opened.retainedSlice(plain, opened.writerIndex() - plain);
    }

    /**
     * After {@link #open}: writes a clear envelope just in front of the plaintext and returns a
     * retained slice from it, ready for the decoder.
     */
    static ByteBuf clearView(ByteBuf opened, int sealedType) {
        int plain = HEADER + RecordCipher.HEADER;
        int length = opened.writerIndex() - plain;
        int clear = plain - HEADER;
        WireFormat.setHeader(opened, clear, sealedType == WireFormat.TYPE_SEALED_RING ? WireFormat.TYPE_RING
                : WireFormat.TYPE_FRAME, length);
        return opened.retainedSlice(clear, HEADER + length);
    }
}
