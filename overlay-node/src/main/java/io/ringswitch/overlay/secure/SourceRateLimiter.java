package io.ringswitch.overlay.secure;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source: for handshake initiations per source address (WireGuard's: 20 a
 * second, bursts of 5) and per source prefix ({@link #prefix}), so that no one address can keep the handshake thread busy, and for the
 * bytes a relay passes on for each peer, so that no one peer turns it into a firehose. A source is
 * any key with equality: an IP address, a ring address. The table holds at most
 * {@link #MAX_SOURCES} sources, the least recently seen leaving first. Used on the event loop.
 */
final class SourceRateLimiter {
    static final int MAX_SOURCES = 4096;
    private final double perSecond;
    private final double burst;
    private final Map<Object, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Bucket> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    SourceRateLimiter(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /**
     * The network a source address belongs to: its /24 for IPv4, its /64 for IPv6 (one host or
     * one customer's allocation, as WireGuard's rate limiter counts them), so that a host with many
     * addresses shares one budget. Any other source (a relay's ring address) is its own prefix.
     */
    static Object prefix(Object source) {
        if (!(source instanceof InetAddress a)) {
            return source;
        }
        byte[] bytes = a.getAddress();
        return new Prefix(Arrays.copyOf(bytes, a instanceof Inet4Address ? 3 : 8));
    }

    /** A network prefix's leading bytes, as a key with value equality. */
    private record Prefix(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Prefix p && Arrays.equals(bytes, p.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return Arrays.toString(bytes);
        }
    }

    /** Takes a token for {@code source}; false when its bucket is empty. */
    boolean allow(Object source, long nowNanos) {
        return allow(source, 1, nowNanos);
    }

    /** Takes {@code cost} tokens for {@code source}; false, taking none, when it has fewer. */
    boolean allow(Object source, double cost, long nowNanos) {
        Bucket b = buckets.computeIfAbsent(source, s -> new Bucket(burst, nowNanos));
        double tokens = Math.min(burst, b.tokens + (nowNanos - b.at) / 1e9 * perSecond);
        b.at = nowNanos;
        if (tokens < cost) {
            b.tokens = tokens;
            return false;
        }
        b.tokens = tokens - cost;
        return true;
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
