package io.ringswitch.overlay.ring.dht;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.RingMessageCodec.MalformedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The envelope of one DHT value in a group with a CA: who published it, with which certificate,
 * when, for how long, whether it releases the publisher's claim on the key, and the value; signed
 * by the publisher's key. The DHT stores and copies envelopes as its values; {@link DhtRecords}
 * seals and checks them, and hands readers the value inside.
 *
 * <pre>
 * version u8 (1) | flags u8 (bit 0 signed, bit 1 released) | publisher ring address (20)
 *   | timestamp u64 (publisher's wall clock, ms) | ttl u32 (ms) | cert len u16 | cert DER
 *   | value len u16 | value | signature (64, Ed25519, RFC 8032; only when signed)
 * signed bytes: "ringswitch dht record 1" 0x00 | key len u8 | key | envelope up to the signature
 * </pre>
 * The key is signed but not carried: a record copied under another key fails its signature. An
 * unsigned record (plaintext lab) carries no certificate and no signature; its publisher is only
 * what it claims.
 */
public record DhtRecord(RingAddress publisher, boolean signed, boolean released, long timestamp, long ttlMillis,
                        byte[] certificate, byte[] value, byte[] signature, byte[] envelope, int signedLength) {
    /** Bytes of an Ed25519 signature (RFC 8032 §5.1.6). */
    public static final int SIGNATURE = 64;
    private static final int VERSION = 1;
    private static final int SIGNED = 1;
    private static final int RELEASED = 2;
    private static final byte[] CONTEXT = "ringswitch dht record 1\0".getBytes(StandardCharsets.US_ASCII);

    /** Bytes of a signed envelope around a certificate and a value of these sizes. */
    public static int envelopeBytes(int certificateBytes, int valueBytes) {
        return 2 + RingAddress.BYTES + 8 + 4 + 2 + certificateBytes + 2 + valueBytes + SIGNATURE;
    }

    /** The envelope before its signature: what the publisher signs (with the key, see {@link #signedBytes}). */
    public static byte[] unsignedEnvelope(RingAddress publisher, boolean signed, boolean released, long timestamp,
                                          long ttlMillis, byte[] certificate, byte[] value) {
        ByteBuf out = Unpooled.buffer(48 + certificate.length + value.length);
        out.writeByte(VERSION).writeByte((signed ? SIGNED : 0) | (released ? RELEASED : 0));
        publisher.write(out);
        out.writeLong(timestamp).writeInt((int) ttlMillis).writeShort(certificate.length).writeBytes(certificate)
                .writeShort(value.length).writeBytes(value);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /** What a signature covers: the context, the key, and the envelope up to the signature. */
    public static byte[] signedBytes(DhtKey key, byte[] envelope, int length) {
        byte[] out = new byte[CONTEXT.length + 1 + key.length() + length];
        System.arraycopy(CONTEXT, 0, out, 0, CONTEXT.length);
        out[CONTEXT.length] = (byte) key.length();
        System.arraycopy(key.raw(), 0, out, CONTEXT.length + 1, key.length());
        System.arraycopy(envelope, 0, out, CONTEXT.length + 1 + key.length(), length);
        return out;
    }

    /** The bytes this record's signature must cover under {@code key}. */
    public byte[] signedBytes(DhtKey key) {
        return signedBytes(key, envelope, signedLength);
    }

    /** Reads an envelope; never throws anything but {@link MalformedException}. */
    public static DhtRecord parse(byte[] envelope) throws MalformedException {
        ByteBuf in = Unpooled.wrappedBuffer(envelope);
        try {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new MalformedException("DHT record version " + version);
            }
            int flags = in.readUnsignedByte();
            if ((flags & ~(SIGNED | RELEASED)) != 0) {
                throw new MalformedException("unknown DHT record flags " + flags);
            }
            RingAddress publisher = RingAddress.read(in);
            long timestamp = in.readLong();
            long ttl = in.readUnsignedInt();
            byte[] certificate = new byte[in.readUnsignedShort()];
            in.readBytes(certificate);
            byte[] value = new byte[in.readUnsignedShort()];
            in.readBytes(value);
            int signedLength = in.readerIndex();
            boolean signed = (flags & SIGNED) != 0;
            byte[] signature = new byte[signed ? SIGNATURE : 0];
            in.readBytes(signature);
            if (in.isReadable()) {
                throw new MalformedException(in.readableBytes() + " trailing bytes after a DHT record");
            }
            if (signed == (certificate.length == 0)) {
                throw new MalformedException("a signed DHT record carries a certificate, an unsigned one none");
            }
            return new DhtRecord(publisher, signed, (flags & RELEASED) != 0, timestamp, ttl, certificate, value,
                    signature, envelope, signedLength);
        } catch (IndexOutOfBoundsException e) {
            throw new MalformedException("truncated DHT record: " + e.getMessage());
        }
    }

    /** Same publisher and same value (whatever the time it was sealed at). */
    public boolean sameClaim(DhtRecord other) {
        return publisher.equals(other.publisher) && released == other.released && Arrays.equals(value, other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhtRecord r && Arrays.equals(envelope, r.envelope);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(envelope);
    }

    @Override
    public String toString() {
        return "DhtRecord[" + publisher.shortString() + (signed ? " signed" : "") + (released ? " released" : "") + " at "
                + timestamp + ", " + value.length + " B]";
    }
}
