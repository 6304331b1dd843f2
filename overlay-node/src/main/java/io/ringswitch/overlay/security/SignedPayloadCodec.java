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
 *   compact form   := version u8 (2) | inner length u16 | inner payload
 *                     | certificate fingerprint (32: SHA-256 of the certificate's DER) | signature (64)
 * </pre>
 * The source's certificate rides a signed payload, so that any node can check it without a
 * round trip; receivers keep the certificates they verified and only compare the bytes again.
 * Once a destination has had the certificate, the source may send the compact form, which names
 * the certificate by its fingerprint ({@link CertificateIntroductions}); the signature covers the
 * same bytes in both forms.
 * Lengths are bounded before anything is allocated.
 */
final class SignedPayloadCodec {
    static final int VERSION = 1;
    static final int SIGNATURE = 64;
    static final int MAX_CERTIFICATE = 1024;
    static final int COMPACT = 2;
    static final int FINGERPRINT = 32;

    static {
        if (overhead(MAX_CERTIFICATE) > SourceAuthentication.MAX_OVERHEAD) {
            throw new IllegalStateException("a signed payload may add more than the ring's codec allows");
        }
    }

    /** A signed payload's parts: a certificate, or in the compact form only its fingerprint (the other null). */
    record Signed(byte[] inner, byte[] certificate, byte[] fingerprint, byte[] signature) {
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

    /** The compact form: the certificate named by its {@code fingerprint}. */
    static byte[] encodeCompact(byte[] inner, byte[] fingerprint, byte[] signature) {
        ByteBuffer out = ByteBuffer.allocate(1 + 2 + inner.length + FINGERPRINT + SIGNATURE);
        out.put((byte) COMPACT).putShort((short) inner.length).put(inner).put(fingerprint).put(signature);
        return out.array();
    }

    /** The parts of {@code bytes}, or null when they are not a whole signed payload of either form. */
    static Signed decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < overhead(0)) {
            return null;
        }
        int version = in.get() & 0xff;
        if (version == COMPACT) {
            return decodeCompact(in);
        }
        if (version != VERSION) {
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
        return new Signed(inner, certificate, null, signature);
    }

    private static Signed decodeCompact(ByteBuffer in) {
        int innerLength = in.getShort() & 0xffff;
        if (in.remaining() != innerLength + FINGERPRINT + SIGNATURE) {
            return null;
        }
        byte[] inner = new byte[innerLength];
        in.get(inner);
        byte[] fingerprint = new byte[FINGERPRINT];
        in.get(fingerprint);
        byte[] signature = new byte[SIGNATURE];
        in.get(signature);
        return new Signed(inner, null, fingerprint, signature);
    }
}
