package io.ringswitch.overlay.ring;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/**
 * A 160-bit position on the ring, read as an unsigned number modulo 2^160. Held in three words:
 * the top 64 bits, the middle 64 bits and the low 32 bits, so that distances need no BigInteger.
 */
public final class RingAddress implements Comparable<RingAddress> {
    public static final int BYTES = 20;
    private static final long LOW_MASK = 0xFFFF_FFFFL;
    public static final RingAddress ZERO = new RingAddress(0, 0, 0);
    /** The largest distance there is (2^160 - 1); used as "infinitely far". */
    public static final RingAddress MAX = new RingAddress(-1L, -1L, LOW_MASK);
    private static final double TWO_64 = 18446744073709551616.0;

    private final long hi;
    private final long mid;
    private final long lo;

    private RingAddress(long hi, long mid, long lo) {
        this.hi = hi;
        this.mid = mid;
        this.lo = lo & LOW_MASK;
    }

    public static RingAddress of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a ring address has " + BYTES + " bytes, not " + bytes.length);
        }
        long hi = 0;
        long mid = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (bytes[i] & 0xff);
            mid = mid << 8 | (bytes[8 + i] & 0xff);
        }
        for (int i = 16; i < 20; i++) {
            lo = lo << 8 | (bytes[i] & 0xff);
        }
        return new RingAddress(hi, mid, lo);
    }

    /** SHA-1 of a name: a stable address for a node until certificates bind one. */
    public static RingAddress ofName(String name) {
        try {
            return of(MessageDigest.getInstance("SHA-1").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    public static RingAddress random(Random random) {
        return new RingAddress(random.nextLong(), random.nextLong(), random.nextInt());
    }

    /** The address at {@code fraction} (0 to 1) of the way round the ring from zero. */
    public static RingAddress atFraction(double fraction) {
        double f = fraction - Math.floor(fraction);
        double top = f * TWO_64;
        long hi = top >= 9.223372036854775807E18 ? (long) (top - 9.223372036854775807E18) ^ Long.MIN_VALUE : (long) top;
        return new RingAddress(hi, 0, 0);
    }

    public static RingAddress read(ByteBuf in) {
        return new RingAddress(in.readLong(), in.readLong(), in.readUnsignedInt());
    }

    public void write(ByteBuf out) {
        out.writeLong(hi).writeLong(mid).writeInt((int) lo);
    }

    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[8 + i] = (byte) (mid >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[16 + i] = (byte) (lo >>> (24 - 8 * i));
        }
        return out;
    }

    public RingAddress plus(RingAddress other) {
        long l = lo + other.lo;
        long carry0 = l >>> 32;
        long m = mid + other.mid + carry0;
        long carry1 = (Long.compareUnsigned(m, mid) < 0 || (carry0 == 1 && m == mid)) ? 1 : 0;
        return new RingAddress(hi + other.hi + carry1, m, l);
    }

    public RingAddress minus(RingAddress other) {
        long l = lo - other.lo;
        long borrow0 = l < 0 ? 1 : 0;
        long m = mid - other.mid - borrow0;
        long borrow1 = (Long.compareUnsigned(mid, other.mid) < 0 || (borrow0 == 1 && mid == other.mid)) ? 1 : 0;
        return new RingAddress(hi - other.hi - borrow1, m, l);
    }

    /** Clockwise distance from this address to {@code to}. */
    public RingAddress clockwiseTo(RingAddress to) {
        return to.minus(this);
    }

    /**
     * Orders {@code x} and {@code y} by their clockwise distance from {@code origin}, without
     * computing the distances: addresses at or after the origin come first, in numeric order,
     * then those before it.
     */
    public static int compareClockwise(RingAddress origin, RingAddress x, RingAddress y) {
        boolean xAfter = x.compareTo(origin) >= 0;
        boolean yAfter = y.compareTo(origin) >= 0;
        if (xAfter != yAfter) {
            return xAfter ? -1 : 1;
        }
        return x.compareTo(y);
    }

    /** The shorter way round between two addresses. */
    public RingAddress distanceTo(RingAddress other) {
        RingAddress cw = other.minus(this);
        RingAddress ccw = this.minus(other);
        return cw.compareTo(ccw) <= 0 ? cw : ccw;
    }

    /**
     * Compares {@code a}'s and {@code b}'s distances to {@code target} the shorter way round:
     * the sign of {@code a.distanceTo(target).compareTo(b.distanceTo(target))}, without making
     * the four addresses that takes (routing compares distances at every hop of every message).
     */
    public static int compareDistances(RingAddress a, RingAddress b, RingAddress target) {
        // The clockwise distance d from x to the target is the shorter way unless it is past half
        // the ring (top bit set, and not exactly half), where the shorter is 2^160 - d.
        long ah = cwHi(a, target);
        long am = cwMid(a, target);
        long al = (target.lo - a.lo) & LOW_MASK;
        if (pastHalf(ah, am, al)) {
            long nl = (-al) & LOW_MASK;
            long nm = ~am + (al == 0 ? 1 : 0);
            ah = ~ah + (al == 0 && am == 0 ? 1 : 0);
            am = nm;
            al = nl;
        }
        long bh = cwHi(b, target);
        long bm = cwMid(b, target);
        long bl = (target.lo - b.lo) & LOW_MASK;
        if (pastHalf(bh, bm, bl)) {
            long nl = (-bl) & LOW_MASK;
            long nm = ~bm + (bl == 0 ? 1 : 0);
            bh = ~bh + (bl == 0 && bm == 0 ? 1 : 0);
            bm = nm;
            bl = nl;
        }
        int c = Long.compareUnsigned(ah, bh);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(am, bm);
        return c != 0 ? c : Long.compare(al, bl);
    }

    /** The middle word of {@code to - from}, as {@link #minus} makes it. */
    private static long cwMid(RingAddress from, RingAddress to) {
        long borrow0 = to.lo - from.lo < 0 ? 1 : 0;
        return to.mid - from.mid - borrow0;
    }

    /** The high word of {@code to - from}, as {@link #minus} makes it. */
    private static long cwHi(RingAddress from, RingAddress to) {
        long borrow0 = to.lo - from.lo < 0 ? 1 : 0;
        long borrow1 = (Long.compareUnsigned(to.mid, from.mid) < 0 || (borrow0 == 1 && to.mid == from.mid)) ? 1 : 0;
        return to.hi - from.hi - borrow1;
    }

    /** Whether a clockwise distance is longer than the other way round (more than half the ring). */
    private static boolean pastHalf(long hi, long mid, long lo) {
        return hi < 0 && !(hi == Long.MIN_VALUE && mid == 0 && lo == 0);
    }

    /** This number as a fraction of the whole ring (0 to 1). */
    public double fraction() {
        return (unsigned(hi) + unsigned(mid) / TWO_64) / TWO_64;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
    }

    /** Unsigned order of the numbers (not of positions relative to anybody). */
    @Override
    public int compareTo(RingAddress o) {
        int c = Long.compareUnsigned(hi, o.hi);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(mid, o.mid);
        return c != 0 ? c : Long.compare(lo, o.lo);
    }

    @Override
    public boolean equals(Object o) {
        // Identity first: links, contacts and messages mostly share one instance per node, and the
        // lookups by address then read no second object.
        return o == this || o instanceof RingAddress a && a.hi == hi && a.mid == mid && a.lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi) * 31 + Long.hashCode(mid) * 17 + (int) lo;
    }

    /** The first 8 hex digits: enough to tell nodes apart in a log. */
    public String shortString() {
        // Not String.format: debug lines pass this as an argument, so it runs whether or not they print.
        String hex = Long.toHexString((hi >>> 32) | 1L << 32);
        return hex.substring(1);
    }

    @Override
    public String toString() {
        return String.format("%016x%016x%08x", hi, mid, lo);
    }

    public static RingAddress parse(String hex) {
        if (!hex.matches("[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("a ring address is 40 hex digits, got '" + hex + "'");
        }
        return new RingAddress(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                Long.parseUnsignedLong(hex.substring(16, 32), 16), Long.parseLong(hex.substring(32), 16));
    }
}
