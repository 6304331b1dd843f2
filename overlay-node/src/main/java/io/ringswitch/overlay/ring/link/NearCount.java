package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;

/**
 * Turns the spacing of a node's nearest links into the ring's estimated size and into the number
 * of near neighbours the node keeps on each side (about log10 of the size, within the configured
 * bounds). Split out of {@link LinkTable}, which holds the links this reads.
 */
final class NearCount {
    /** How far past a whole number the smoothed log10 of the size must be to change the near count. */
    private static final double HYSTERESIS = 0.15;

    private final RingConfig config;
    private int nearPerSide;
    private double smoothedLogSize = Double.NaN;

    NearCount(RingConfig config) {
        this.config = config;
        this.nearPerSide = config.minNearPerSide();
    }

    /** Near neighbours kept on each side. */
    int nearPerSide() {
        return nearPerSide;
    }

    /**
     * Follows the ring's size, once per status round: the estimate is smoothed and the number of
     * near neighbours moves only when the smoothed log10 of the size is clearly past a whole
     * number. The estimate depends on the links the node has, and the links it keeps depend on
     * the number; without the damping a node in a dense stretch of the ring would make and trim
     * the same link round after round. {@code cw}: the routable links in clockwise order from {@code me}.
     */
    void update(Link[] cw, RingAddress me) {
        double raw = Math.log10(Math.max(10, estimatedSize(cw, me)));
        smoothedLogSize = Double.isNaN(smoothedLogSize) ? raw : 0.7 * smoothedLogSize + 0.3 * raw;
        int k = nearPerSide;
        if (smoothedLogSize > k + HYSTERESIS) {
            k = (int) Math.ceil(smoothedLogSize - HYSTERESIS);
        } else if (smoothedLogSize < k - 1 - HYSTERESIS) {
            k = (int) Math.ceil(smoothedLogSize + HYSTERESIS);
        }
        nearPerSide = Math.max(config.minNearPerSide(), Math.min(config.maxNearPerSide(), k));
    }

    /**
     * The ring's size as this node estimates it from the spacing of its nearest neighbours: the
     * {@code minNearPerSide} nearest on each side, which every node holds. Counting up to the most
     * a node may hold (4 a side) took a node that held 2 for one whose 3rd and 4th neighbours lay
     * as far as its nearest shortcuts: it estimated a ring of 5,000 nodes at a few hundred, kept
     * its 2, drew its shortcuts for that small ring and redrew them when its estimate caught up,
     * links set up and trimmed for a minute after the ring looked formed. Nor is it the node's
     * own k: an estimate that moves with k moves k back (a ring of 33 nodes flipped between 2
     * and 3).
     */
    double estimatedSize(Link[] cw, RingAddress me) {
        int k = Math.min(config.minNearPerSide(), cw.length / 2);
        if (k == 0) {
            return cw.length + 1;
        }
        double span = me.clockwiseTo(cw[k - 1].address()).fraction()
                + cw[cw.length - k].address().clockwiseTo(me).fraction();
        return span <= 0 ? cw.length + 1 : Math.max(cw.length + 1, 2 * k / span);
    }
}
