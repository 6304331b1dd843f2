package io.ringswitch.overlay.group;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * The administrator's password as a salted scrypt hash (RFC 7914, Bouncy Castle's
 * implementation), stored as {@code scrypt$N$r$p$salt$hash} with base64 salt and hash. N = 2^15,
 * r = 8, p = 1 costs about 32 MiB and a tenth of a second per try: cheap for one login, dear
 * for a guesser with the store file.
 */
final class PasswordHash {
    private static final int N = 1 << 15;
    private static final int R = 8;
    private static final int P = 1;
    private static final int LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] h = SCrypt.generate(password.getBytes(StandardCharsets.UTF_8), salt, N, R, P, LENGTH);
        Base64.Encoder b64 = Base64.getEncoder();
        return "scrypt$" + N + "$" + R + "$" + P + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
    }

    /** Whether {@code password} matches {@code stored}; compared in constant time. */
    static boolean matches(String password, String stored) {
        String[] f = stored.split("\\$");
        if (f.length != 6 || !f[0].equals("scrypt")) {
            throw new IllegalArgumentException("not an scrypt hash");
        }
        byte[] salt = Base64.getDecoder().decode(f[4]);
        byte[] want = Base64.getDecoder().decode(f[5]);
        byte[] got = SCrypt.generate(password.getBytes(StandardCharsets.UTF_8), salt, Integer.parseInt(f[1]),
                Integer.parseInt(f[2]), Integer.parseInt(f[3]), want.length);
        return MessageDigest.isEqual(want, got);
    }
}
