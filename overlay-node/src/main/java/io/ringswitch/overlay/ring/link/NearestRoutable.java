package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.RingAddress;

/**
 * Turns a node's clockwise order of routable links and a destination into the usable link nearest
 * it: the greedy next hop. Split out of {@link LinkTable}, which keeps the order. Pure: no state.
 */
final class NearestRoutable {
    private NearestRoutable() {
    }

    /**
     * The link of {@code cw} (routable links in clockwise order from {@code me}) nearest {@code dst}
     * either way round that is not suspect at {@code now} and not to {@code exclude}; null if there
     * is none. On a ring the nearest point to dst is the first one clockwise from it or the first
     * one counter-clockwise, so a binary search of the clockwise order finds it, and the walk past
     * unusable links stops at the first usable one.
     */
    static Link find(Link[] cw, RingAddress me, RingAddress dst, RingAddress exclude, long now) {
        int n = cw.length;
        if (n == 0) {
            return null;
        }
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (RingAddress.compareClockwise(me, cw[mid].address(), dst) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Link after = null;
        for (int i = 0; i < n && after == null; i++) {
            Link link = cw[(lo + i) % n];
            after = usable(link, exclude, now) ? link : null;
        }
        if (after == null) {
            return null;
        }
        Link before = null;
        for (int i = 1; i <= n && before == null; i++) {
            Link link = cw[Math.floorMod(lo - i, n)];
            before = usable(link, exclude, now) ? link : null;
        }
        if (before == after) {
            return after;
        }
        return RingAddress.compareDistances(before.address(), after.address(), dst) < 0 ? before : after;
    }

    private static boolean usable(Link link, RingAddress exclude, long now) {
        return !link.suspect(now) && !link.address().equals(exclude);
    }
}
