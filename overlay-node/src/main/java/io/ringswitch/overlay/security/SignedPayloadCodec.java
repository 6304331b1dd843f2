package io.ringswitch.overlay.security;

import io.ringswitch.overlay.ring.routing.SourceAuthentication;
import java.nio.ByteBuffer;

/**
 * The bytes of a payload signed by its source ({@link SourceSignatures}); the only place that
 * knows them:
 * <pre>
 *   signed payload := version u8 (1) | inner length u16 | inner payload
 *                     | certificate length u16 (1..MAX_CERTIFICATE) | certificate (X.509 DER)
 *                     | signature (64: Ed25519, RFC 8032 §5.1.6)
 * </pre>
 * The source's certificate rides every signed payload, so that any node can check it without a
 * round trip; receivers keep the certificates they verified and only compare the bytes again.
 * Lengths are bounded before anything is allocated.
 */
final class SignedPayloadCodec {
    static final int VERSION = 1;
    static final int SIGNATURE = 64;
    static final int MAX_CERTIFICATE = 1024;

    static {
        if (overhead(MAX_CERTIFICATE) > SourceAuthentication.MAX_OVERHEAD) {
            throw new IllegalStateException("a signed payload may add more than the ring's codec allows");
        }
    }

    /** A signed payload's parts. */
    record Signed(byte[] inner, byte[] certificate, byte[] signature) {
    }

    private SignedPayloadCodec() {
    }

    /** Bytes a signed payload adds to its inner payload with a certificate of {@code certificateLength}. */
    static int overhead(int certificateLength) {
        return 1 + 2 + 2 + certificateLength + SIGNATURE;
    }

    static byte[] encode(byte[] inner, byte[] certificate, byte[] signature) {
        ByteBuffer out = ByteBuffer.allocate(inner.length + overhead(certificate.length));
        out.put((byte) VERSION).putShort((short) inner.length).put(inner)
                .putShort((short) certificate.length).put(certificate).put(signature);
        return out.array();
    }

    /** The parts of {@code bytes}, or null when they are not a whole signed payload of this version. */
    static Signed decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < overhead(0) || (in.get() & 0xff) != VERSION) {
            return null;
        }
        int innerLength = in.getShort() & 0xffff;
        if (in.remaining() < innerLength + 2 + SIGNATURE) {
            return null;
        }
        byte[] inner = new byte[innerLength];
        in.get(inner);
        int certificateLength = in.getShort() & 0xffff;
        if (certificateLength == 0 || certificateLength > MAX_CERTIFICATE || in.remaining() != certificateLength + SIGNATURE) {
            return null;
        }
        byte[] certificate = new byte[certificateLength];
        in.get(certificate);
        byte[] signature = new byte[SIGNATURE];
        in.get(signature);
        return new Signed(inner, certificate, signature);
    }
}
