package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.RingAddress;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One value under a key and the time it has left to live, in milliseconds. On the wire the time
 * is relative, so that nodes need not agree on a clock; each holder turns it into a deadline on
 * its own. In a result of a node with signed records, {@code publisher} is the node whose
 * certificate signed the value (so that a reader can refuse a value that names another node);
 * null for bare values. Two values are equal by bytes and time left.
 */
public record DhtValue(byte[] bytes, long ttlMillis, RingAddress publisher) {

    /** A bare value, or a record as holders keep and send it. */
    public DhtValue(byte[] bytes, long ttlMillis) {
        this(bytes, ttlMillis, null);
    }

    /** Whether a value that names {@code site} may stand: bare, or signed by that very site. */
    public boolean publishedBy(RingAddress site) {
        return publisher == null || publisher.equals(site);
    }
    /** The order in which values are listed: by their bytes, unsigned, so that every node agrees. */
    public static final Comparator<DhtValue> BY_BYTES = (a, b) -> Arrays.compareUnsigned(a.bytes, b.bytes);

    /** Same bytes, whatever the time left. */
    public boolean sameBytes(byte[] other) {
        return Arrays.equals(bytes, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhtValue v && v.ttlMillis == ttlMillis && Arrays.equals(v.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + Long.hashCode(ttlMillis);
    }

    @Override
    public String toString() {
        return "DhtValue[" + bytes.length + " B, " + ttlMillis + " ms]";
    }
}
