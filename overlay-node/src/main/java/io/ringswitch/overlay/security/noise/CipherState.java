package io.ringswitch.overlay.security.noise;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise CipherState (§5.1) over AES-256-GCM: a key and a 64-bit nonce counter; the nonce is 32
 * zero bits followed by the counter, big-endian (§12.4). Without a key it passes data through.
 */
public final class CipherState {
    static final int TAG = 16;
    private final Cipher cipher;
    private SecretKeySpec key;
    private long n;

    CipherState() {
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no AES/GCM", e);
        }
    }

    void initializeKey(byte[] k) {
        key = new SecretKeySpec(k, "AES");
        n = 0;
    }

    boolean hasKey() {
        return key != null;
    }

    /** The counter of the next message (tests and rekey policy). */
    public long nonce() {
        return n;
    }

    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
        if (key == null) {
            return plaintext.clone();
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce(n)));
            cipher.updateAAD(ad);
            byte[] out = cipher.doFinal(plaintext);
            n++;
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /** Decrypts and authenticates; the nonce advances only when the message is authentic. */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
        if (key == null) {
            return ciphertext.clone();
        }
        if (ciphertext.length < TAG) {
            throw new NoiseException("a ciphertext of " + ciphertext.length + " bytes has no room for its tag");
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce(n)));
            cipher.updateAAD(ad);
            byte[] out = cipher.doFinal(ciphertext);
            n++;
            return out;
        } catch (AEADBadTagException e) {
            throw new NoiseException("authentication failed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    private static byte[] nonce(long n) {
        byte[] iv = new byte[12];
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (n >>> (56 - 8 * i));
        }
        return iv;
    }
}
