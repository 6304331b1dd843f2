package io.ringswitch.overlay.ring.routing;

import io.ringswitch.overlay.ring.BoundedMap;
import io.ringswitch.overlay.ring.RingAddress;
import java.util.Map;

/**
 * How many broadcasts each origin may have passed on by this node: a token bucket per origin ring
 * address ({@value #PER_SECOND} a second, bursts of {@value #BURST}), kept at every hop, so that a
 * member that floods broadcasts is cut at its first hops instead of loading every node of the ring.
 * At most {@value #MAX_ORIGINS} origins are tracked, the least recently heard leaving first. Broadcasts
 * carry the sites' broadcast frames (ARP, DHCP, groups the directory cannot list), which the switch
 * controller's storm meters already hold to less. Time in milliseconds from the node's scheduler;
 * confined to the node's thread.
 */
final class BroadcastBudget {
    static final int PER_SECOND = 200;
    static final int BURST = 400;
    static final int MAX_ORIGINS = 4096;

    private static final class Bucket {
        double tokens = BURST;
        long at;

        Bucket(long at) {
            this.at = at;
        }
    }

    private final Map<RingAddress, Bucket> buckets = new BoundedMap<>(MAX_ORIGINS, true);

    /** Takes a token for a broadcast of {@code origin}; false when its budget is spent. */
    boolean allow(RingAddress origin, long nowMillis) {
        Bucket b = buckets.computeIfAbsent(origin, o -> new Bucket(nowMillis));
        b.tokens = Math.min(BURST, b.tokens + Math.max(0, nowMillis - b.at) * PER_SECOND / 1000.0);
        b.at = nowMillis;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }
}
