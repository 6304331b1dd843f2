package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.ring.PeerPath;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless cookies for handshakes under load (WireGuard's and DTLS's cookie round trip): a
 * cookie is the first 16 bytes of HMAC-SHA256 under a secret over the initiator's path (kind,
 * address and port, or the relay's and the peer's ring addresses) and ephemeral key, so it proves
 * that the initiator receives on that path and binds it to
 * that handshake, and the responder keeps nothing. The secret changes every
 * {@link #ROTATE_NANOS}; cookies under the previous one still pass. Used on the event loop.
 */
final class CookieJar {
    static final long ROTATE_NANOS = 120_000_000_000L;
    private final SecureRandom random;
    private byte[] current;
    private byte[] previous;
    private long rotatedAt;
    private final Mac mac;

    CookieJar(SecureRandom random, long nowNanos) {
        this.random = random;
        this.current = secret();
        this.previous = secret();
        this.rotatedAt = nowNanos;
        try {
            mac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }

    byte[] cookie(PeerPath from, byte[] ephemeral, long nowNanos) {
        rotate(nowNanos);
        return compute(current, from, ephemeral);
    }

    boolean valid(byte[] cookie, PeerPath from, byte[] ephemeral, long nowNanos) {
        rotate(nowNanos);
        return MessageDigest.isEqual(cookie, compute(current, from, ephemeral))
                || MessageDigest.isEqual(cookie, compute(previous, from, ephemeral));
    }

    private void rotate(long nowNanos) {
        if (nowNanos - rotatedAt >= ROTATE_NANOS) {
            previous = current;
            current = secret();
            rotatedAt = nowNanos;
        }
    }

    private byte[] compute(byte[] secret, PeerPath from, byte[] ephemeral) {
        try {
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        if (from instanceof PeerPath.Udp u) {
            endpoint(1, u.endpoint());
        } else if (from instanceof PeerPath.Tcp t) {
            endpoint(2, t.endpoint());
        } else if (from instanceof PeerPath.Relay r) {
            mac.update((byte) 3);
            mac.update(r.via().toBytes());
            mac.update(r.peer().toBytes());
        } else if (from instanceof PeerPath.Routed r) {
            mac.update((byte) 4);
            mac.update(r.peer().toBytes());
        }
        mac.update(ephemeral);
        return Arrays.copyOf(mac.doFinal(), HandshakeCodec.COOKIE);
    }

    private void endpoint(int kind, java.net.InetSocketAddress endpoint) {
        mac.update((byte) kind);
        mac.update(endpoint.getAddress().getAddress());
        mac.update((byte) (endpoint.getPort() >>> 8));
        mac.update((byte) endpoint.getPort());
    }

    private byte[] secret() {
        byte[] s = new byte[32];
        random.nextBytes(s);
        return s;
    }
}
