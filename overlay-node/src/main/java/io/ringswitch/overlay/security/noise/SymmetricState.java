package io.ringswitch.overlay.security.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A Noise SymmetricState (§5.2) with SHA-256: the chaining key, the handshake hash and a CipherState. */
final class SymmetricState {
    static final int HASHLEN = 32;
    private final CipherState cipher = new CipherState();
    private byte[] ck;
    private byte[] h;

    SymmetricState(String protocolName) {
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= HASHLEN ? Arrays.copyOf(name, HASHLEN) : sha256(name);
        ck = h.clone();
    }

    byte[] handshakeHash() {
        return h.clone();
    }

    void mixHash(byte[] data) {
        h = sha256(h, data);
    }

    void mixKey(byte[] ikm) {
        byte[][] out = hkdf(ck, ikm);
        ck = out[0];
        cipher.initializeKey(Arrays.copyOf(out[1], 32));
    }

    byte[] encryptAndHash(byte[] plaintext) {
        byte[] c = cipher.encryptWithAd(h, plaintext);
        mixHash(c);
        return c;
    }

    byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
        byte[] p = cipher.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return p;
    }

    boolean hasKey() {
        return cipher.hasKey();
    }

    /** The two transport CipherStates: initiator to responder, then responder to initiator (§5.2 Split). */
    CipherState[] split() {
        byte[][] out = hkdf(ck, new byte[0]);
        CipherState c1 = new CipherState();
        CipherState c2 = new CipherState();
        c1.initializeKey(Arrays.copyOf(out[0], 32));
        c2.initializeKey(Arrays.copyOf(out[1], 32));
        return new CipherState[] {c1, c2};
    }

    /**
     * The raw keys of {@link #split}, for a record layer of the caller's own (§5.2: "the
     * application may use the keys directly"); the chaining key is wiped afterwards.
     */
    byte[][] splitKeys() {
        byte[][] out = hkdf(ck, new byte[0]);
        Arrays.fill(ck, (byte) 0);
        return new byte[][] {Arrays.copyOf(out[0], 32), Arrays.copyOf(out[1], 32)};
    }

    /** HKDF with two outputs (§4.3), HMAC-SHA256. */
    private static byte[][] hkdf(byte[] chainingKey, byte[] ikm) {
        byte[] tempKey = hmac(chainingKey, ikm);
        byte[] out1 = hmac(tempKey, new byte[] {1});
        byte[] in2 = Arrays.copyOf(out1, out1.length + 1);
        in2[out1.length] = 2;
        return new byte[][] {out1, hmac(tempKey, in2)};
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
