package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.RingAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A DHT key: 1 to {@value DhtMessageCodec#MAX_KEY} bytes, compared by content. Its place on the
 * ring is the SHA-1 of those bytes; the nodes nearest that place hold its values.
 */
public final class DhtKey {
    private final byte[] bytes;
    private final int hash;
    private RingAddress address;

    private DhtKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** A key of these bytes (copied); throws for an empty key or one over the limit. */
    public static DhtKey of(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > DhtMessageCodec.MAX_KEY) {
            throw new IllegalArgumentException("a DHT key has 1 to " + DhtMessageCodec.MAX_KEY + " bytes, not "
                    + bytes.length);
        }
        return new DhtKey(bytes.clone());
    }

    /** A key of the UTF-8 bytes of {@code name} ("ip/10.0.0.7", "mac/02:00:..."). */
    public static DhtKey of(String name) {
        return of(name.getBytes(StandardCharsets.UTF_8));
    }

    /** For the codec, which has bounded the length already and hands over a fresh array. */
    static DhtKey wrap(byte[] bytes) {
        return new DhtKey(bytes);
    }

    /** The key's bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    int length() {
        return bytes.length;
    }

    byte[] raw() {
        return bytes;
    }

    /** Where the key sits on the ring: the SHA-1 of its bytes. */
    public RingAddress address() {
        if (address == null) {
            try {
                address = RingAddress.of(MessageDigest.getInstance("SHA-1").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is missing from this JVM", e);
            }
        }
        return address;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhtKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The key as text when it is printable ASCII, else in hex. */
    @Override
    public String toString() {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                return "0x" + HexFormat.of().formatHex(bytes);
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
