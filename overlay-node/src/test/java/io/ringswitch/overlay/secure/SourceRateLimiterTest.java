package io.ringswitch.overlay.secure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingAddress;
import org.junit.jupiter.api.Test;

/** Token buckets per source: handshakes by count, relayed records by bytes. */
class SourceRateLimiterTest {
    private static final long MS = 1_000_000L;

    @Test
    void aRelaysByteBudgetHoldsOneSourceToItsRateAndBurstAndNoOther() {
        SourceRateLimiter budget = new SourceRateLimiter(RelayForwarder.RELAY_BYTES_PER_SECOND,
                RelayForwarder.RELAY_BURST_BYTES);
        RingAddress a = RingAddress.ofName("a");
        RingAddress c = RingAddress.ofName("c");
        long t = 1_000 * MS;
        assertTrue(budget.allow(a, 3_000_000, t), "within the 4 MB burst");
        assertFalse(budget.allow(a, 1_500_000, t), "the burst is spent");
        assertTrue(budget.allow(c, 1_500_000, t), "another source has its own bucket");
        // 50 MB/s: 30 ms later 1.5 MB more is there.
        assertTrue(budget.allow(a, 2_000_000, t + 30 * MS));
        assertFalse(budget.allow(a, 600_000, t + 30 * MS), "half a megabyte is left, not more");
    }

    @Test
    void handshakesCountOneEach() {
        SourceRateLimiter limiter = new SourceRateLimiter(20, 5);
        Object source = RingAddress.ofName("relay");
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.allow(source, 0));
        }
        assertFalse(limiter.allow(source, 0));
        assertTrue(limiter.allow(source, 50 * MS), "one more after 1/20 s");
    }

    @Test
    void prefixesAreTheSlash24AndTheSlash64() throws Exception {
        java.net.InetAddress a = java.net.InetAddress.getByName("198.51.100.7");
        java.net.InetAddress b = java.net.InetAddress.getByName("198.51.100.200");
        java.net.InetAddress c = java.net.InetAddress.getByName("198.51.101.7");
        assertTrue(SourceRateLimiter.prefix(a).equals(SourceRateLimiter.prefix(b)));
        assertFalse(SourceRateLimiter.prefix(a).equals(SourceRateLimiter.prefix(c)));
        java.net.InetAddress d = java.net.InetAddress.getByName("2001:db8:1:2::1");
        java.net.InetAddress e = java.net.InetAddress.getByName("2001:db8:1:2:ffff::9");
        java.net.InetAddress f = java.net.InetAddress.getByName("2001:db8:1:3::1");
        assertTrue(SourceRateLimiter.prefix(d).equals(SourceRateLimiter.prefix(e)));
        assertFalse(SourceRateLimiter.prefix(d).equals(SourceRateLimiter.prefix(f)));
        RingAddress relay = RingAddress.ofName("relay");
        assertTrue(SourceRateLimiter.prefix(relay).equals(relay), "a relay is its own prefix");
    }
}
