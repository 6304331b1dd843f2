package io.ringswitch.overlay.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RingAddressTest {
    private static final BigInteger RING = BigInteger.ONE.shiftLeft(160);

    private static BigInteger big(RingAddress a) {
        return new BigInteger(1, a.toBytes());
    }

    private static RingAddress of(BigInteger v) {
        byte[] raw = v.mod(RING).toByteArray();
        byte[] out = new byte[20];
        int n = Math.min(20, raw.length);
        System.arraycopy(raw, raw.length - n, out, 20 - n, n);
        return RingAddress.of(out);
    }

    @Test
    void arithmeticAgreesWithBigIntegerModuloTwoToThe160() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            RingAddress a = RingAddress.random(random);
            RingAddress b = i % 10 == 0 ? RingAddress.MAX : RingAddress.random(random);
            assertEquals(big(a).add(big(b)).mod(RING), big(a.plus(b)), "plus");
            assertEquals(big(a).subtract(big(b)).mod(RING), big(a.minus(b)), "minus");
            assertEquals(Integer.signum(big(a).compareTo(big(b))), Integer.signum(a.compareTo(b)), "order");
        }
    }

    @Test
    void distanceWrapsAroundZero() {
        RingAddress nearTop = of(RING.subtract(BigInteger.TEN));
        RingAddress nearZero = of(BigInteger.valueOf(5));
        assertEquals(BigInteger.valueOf(15), big(nearTop.clockwiseTo(nearZero)));
        assertEquals(RING.subtract(BigInteger.valueOf(15)), big(nearZero.clockwiseTo(nearTop)));
        assertEquals(BigInteger.valueOf(15), big(nearTop.distanceTo(nearZero)));
        assertEquals(BigInteger.valueOf(15), big(nearZero.distanceTo(nearTop)), "the shorter way round, both ways");
        assertEquals(RingAddress.ZERO, nearZero.distanceTo(nearZero));
    }

    @Test
    void clockwiseOrderMatchesClockwiseDistance() {
        Random random = new Random(3);
        for (int i = 0; i < 5_000; i++) {
            RingAddress origin = RingAddress.random(random);
            RingAddress x = RingAddress.random(random);
            RingAddress y = i % 7 == 0 ? x : RingAddress.random(random);
            assertEquals(Integer.signum(origin.clockwiseTo(x).compareTo(origin.clockwiseTo(y))),
                    Integer.signum(RingAddress.compareClockwise(origin, x, y)));
        }
    }

    @Test
    void bytesHexAndFractionsRoundTrip() {
        RingAddress a = RingAddress.ofName("site1");
        assertEquals(a, RingAddress.of(a.toBytes()));
        assertEquals(a, RingAddress.parse(a.toString()));
        assertArrayEquals(a.toBytes(), RingAddress.parse(a.toString()).toBytes());
        assertEquals(0.25, RingAddress.atFraction(0.25).fraction(), 1e-12);
        assertEquals(0.75, RingAddress.atFraction(0.75).fraction(), 1e-12);
        assertTrue(RingAddress.MAX.fraction() <= 1.0);
        assertThrows(IllegalArgumentException.class, () -> RingAddress.parse("xyz"));
        assertThrows(IllegalArgumentException.class, () -> RingAddress.of(new byte[19]));
    }

    @Test
    void distancesAreComparedAsBigIntegerComparesTheShorterWayRound() {
        Random random = new Random(11);
        BigInteger half = RING.shiftRight(1);
        // Edges: equal addresses, exactly half the ring apart, one off half, and borrows across every word.
        BigInteger[] edges = {BigInteger.ZERO, BigInteger.ONE, half, half.subtract(BigInteger.ONE), half.add(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(32), BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(96),
                BigInteger.ONE.shiftLeft(96).subtract(BigInteger.ONE), RING.subtract(BigInteger.ONE)};
        for (int i = 0; i < 20_000; i++) {
            BigInteger t = new BigInteger(160, random);
            BigInteger a = i % 3 == 0 ? t.add(edges[random.nextInt(edges.length)]) : new BigInteger(160, random);
            BigInteger b = i % 5 == 0 ? t.subtract(edges[random.nextInt(edges.length)]) : new BigInteger(160, random);
            int expected = Integer.signum(shorter(a, t).compareTo(shorter(b, t)));
            RingAddress ra = of(a);
            RingAddress rb = of(b);
            RingAddress rt = of(t);
            assertEquals(expected, Integer.signum(RingAddress.compareDistances(ra, rb, rt)), a + " " + b + " " + t);
            assertEquals(expected, Integer.signum(ra.distanceTo(rt).compareTo(rb.distanceTo(rt))));
        }
    }

    private static BigInteger shorter(BigInteger x, BigInteger t) {
        BigInteger cw = t.subtract(x).mod(RING);
        BigInteger ccw = x.subtract(t).mod(RING);
        return cw.min(ccw);
    }
}
