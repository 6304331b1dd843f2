package io.ringswitch.overlay.security.noise;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Supplier;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The Noise XX handshake (§7.5) over X25519, AES-GCM and SHA-256:
 * <pre>
 *   -> e
 *   <- e, ee, s, es
 *   -> s, se
 * </pre>
 * Both sides learn each other's static key, which the payloads can bind to a certificate; both
 * static keys travel encrypted. After the third message {@link #split} gives the transport keys.
 * One instance per handshake, used from one thread.
 */
public final class XxHandshake {
    public static final String PROTOCOL = "Noise_XX_25519_AESGCM_SHA256";
    public static final int KEY = 32;
    /** Noise's limit on any message (§3). */
    public static final int MAX_MESSAGE = 65_535;

    /** Which side of the handshake this is. */
    public enum Role { INITIATOR, RESPONDER }

    /** The transport keys: one CipherState to send with, one to receive with. */
    public record Transport(CipherState send, CipherState receive) {
    }

    private final Role role;
    private final SymmetricState state = new SymmetricState(PROTOCOL);
    private final byte[] s;
    private final byte[] sPublic;
    private final Supplier<byte[]> ephemeral;
    private byte[] e;
    private byte[] re;
    private byte[] rs;
    private int step;

    /**
     * @param ephemeral where the ephemeral private key comes from: {@link #newPrivateKey} in use,
     *                  fixed keys in the test-vector tests
     */
    public XxHandshake(Role role, byte[] staticPrivate, byte[] prologue, Supplier<byte[]> ephemeral) {
        this.role = role;
        this.s = staticPrivate.clone();
        this.sPublic = publicKey(staticPrivate);
        this.ephemeral = ephemeral;
        state.mixHash(prologue);
    }

    public static byte[] newPrivateKey(SecureRandom random) {
        byte[] k = new byte[KEY];
        X25519.generatePrivateKey(random, k);
        return k;
    }

    public static byte[] publicKey(byte[] privateKey) {
        byte[] pub = new byte[KEY];
        X25519.generatePublicKey(privateKey, 0, pub, 0);
        return pub;
    }

    public boolean complete() {
        return step == 3;
    }

    /** The peer's static public key, once it has been received. */
    public byte[] remoteStatic() {
        return rs == null ? null : rs.clone();
    }

    /** The handshake hash: a channel binding, the same on both sides (§11.2). */
    public byte[] handshakeHash() {
        return state.handshakeHash();
    }

    /** Writes this side's next message with {@code payload}. */
    public byte[] writeMessage(byte[] payload) throws NoiseException {
        if (complete() || (step % 2 == 0) != (role == Role.INITIATOR)) {
            throw new IllegalStateException("not " + role + "'s turn to write (message " + (step + 1) + ")");
        }
        Out out = new Out();
        if (step == 0) {
            writeEphemeral(out);
        } else if (step == 1) {
            writeEphemeral(out);
            state.mixKey(dh(e, re));
            out.add(state.encryptAndHash(sPublic));
            state.mixKey(dh(s, re));
        } else {
            out.add(state.encryptAndHash(sPublic));
            state.mixKey(dh(s, re));
        }
        out.add(state.encryptAndHash(payload));
        step++;
        return out.bytes();
    }

    /** Reads the peer's next message and returns its payload; a bad message leaves the handshake unusable. */
    public byte[] readMessage(byte[] message) throws NoiseException {
        if (complete() || (step % 2 == 0) == (role == Role.INITIATOR)) {
            throw new IllegalStateException("not " + role + "'s turn to read (message " + (step + 1) + ")");
        }
        if (message.length > MAX_MESSAGE) {
            throw new NoiseException("a message of " + message.length + " bytes is over Noise's limit");
        }
        In in = new In(message);
        if (step == 0) {
            readEphemeral(in);
        } else if (step == 1) {
            readEphemeral(in);
            state.mixKey(dh(e, re));
            rs = state.decryptAndHash(in.take(KEY + CipherState.TAG));
            state.mixKey(dh(e, rs));
        } else {
            rs = state.decryptAndHash(in.take(KEY + CipherState.TAG));
            state.mixKey(dh(e, rs));
        }
        byte[] payload = state.decryptAndHash(in.rest());
        step++;
        return payload;
    }

    /** The transport keys of this side, after the third message. */
    public Transport split() {
        if (!complete()) {
            throw new IllegalStateException("the handshake is not complete");
        }
        CipherState[] c = state.split();
        return role == Role.INITIATOR ? new Transport(c[0], c[1]) : new Transport(c[1], c[0]);
    }

    /** This side's raw transport keys: {@code send} and {@code receive}, 32 bytes each. */
    public record TransportKeys(byte[] send, byte[] receive) {
    }

    /**
     * The transport keys as raw bytes, after the third message, for a record layer that seals in
     * place ({@code RecordCipher}); the same keys as {@link #split}. Use one or the other, once.
     */
    public TransportKeys splitKeys() {
        if (!complete()) {
            throw new IllegalStateException("the handshake is not complete");
        }
        byte[][] k = state.splitKeys();
        Arrays.fill(s, (byte) 0);
        if (e != null) {
            Arrays.fill(e, (byte) 0);
        }
        return role == Role.INITIATOR ? new TransportKeys(k[0], k[1]) : new TransportKeys(k[1], k[0]);
    }

    private void writeEphemeral(Out out) {
        e = ephemeral.get();
        byte[] ePublic = publicKey(e);
        out.add(ePublic);
        state.mixHash(ePublic);
    }

    private void readEphemeral(In in) throws NoiseException {
        re = in.take(KEY);
        state.mixHash(re);
    }

    /** X25519; an all-zero result (a low-order point from the peer) is refused. */
    private static byte[] dh(byte[] privateKey, byte[] publicKey) throws NoiseException {
        byte[] out = new byte[KEY];
        if (!X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0)) {
            throw new NoiseException("the peer's key is of low order (X25519 gave all zeros)");
        }
        return out;
    }

    private static final class Out {
        private byte[] buf = new byte[0];

        void add(byte[] part) {
            byte[] next = Arrays.copyOf(buf, buf.length + part.length);
            System.arraycopy(part, 0, next, buf.length, part.length);
            buf = next;
        }

        byte[] bytes() {
            return buf;
        }
    }

    private static final class In {
        private final byte[] msg;
        private int at;

        In(byte[] msg) {
            this.msg = msg;
        }

        byte[] take(int n) throws NoiseException {
            if (msg.length - at < n) {
                throw new NoiseException("a handshake message of " + msg.length + " bytes is too short");
            }
            byte[] out = Arrays.copyOfRange(msg, at, at + n);
            at += n;
            return out;
        }

        byte[] rest() {
            return Arrays.copyOfRange(msg, at, msg.length);
        }
    }
}
