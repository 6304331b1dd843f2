package io.ringswitch.overlay.secure;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source address for handshake initiations (WireGuard's: 20 a second, bursts
 * of 5), so that no one address can keep the handshake thread busy. The table holds at most
 * {@link #MAX_SOURCES} addresses, the least recently seen leaving first. Used on the event loop.
 */
final class SourceRateLimiter {
    static final int MAX_SOURCES = 4096;
    private final double perSecond;
    private final double burst;
    private final Map<InetAddress, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    SourceRateLimiter(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Takes a token for {@code source}; false when its bucket is empty. */
    boolean allow(InetAddress source, long nowNanos) {
        Bucket b = buckets.computeIfAbsent(source, s -> new Bucket(burst, nowNanos));
        double tokens = Math.min(burst, b.tokens + (nowNanos - b.at) / 1e9 * perSecond);
        b.at = nowNanos;
        if (tokens < 1) {
            b.tokens = tokens;
            return false;
        }
        b.tokens = tokens - 1;
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
