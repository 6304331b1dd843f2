package io.ringswitch.overlay.ring.maintenance;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.RoutingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Symphony shortcuts: each node holds {@code shortcuts} links of its own, to points drawn from the
 * harmonic distribution over [1/N, 1] of the ring, and redraws one drawn when the ring looked
 * much smaller. Other nodes' shortcuts to this one are bounded, so that they spread over the ring
 * instead of piling on nodes behind wide gaps.
 */
final class Shortcuts {
    private final LinkTable table;
    private final RingConfig config;
    private final Random random;
    private final ConnectService connect;
    /** The ring's estimated size when each shortcut of ours was drawn. */
    private final Map<RingAddress, Double> drawnAtSize = new HashMap<>();

    Shortcuts(LinkTable table, Random random, ConnectService connect) {
        this.table = table;
        this.config = table.config();
        this.random = random;
        this.connect = connect;
    }

    void drawn(Link link) {
        drawnAtSize.put(link.address(), table.estimatedSize());
    }

    void linkDown(Link link) {
        drawnAtSize.remove(link.address());
    }

    /** Shortcuts that other nodes hold on links to this one. */
    boolean inboundFull() {
        int n = 0;
        for (Link link : table.view()) {
            if (link.peerClaim() == Claim.SHORTCUT) {
                n++;
            }
        }
        return n >= 2 * config.shortcuts() + 2;
    }

    /** Lets go of shortcuts drawn for a much smaller ring and draws the missing ones. */
    void maintain() {
        if (!table.joined()) {
            return;
        }
        double n = table.estimatedSize();
        int own = 0;
        for (Link link : table.view()) {
            if (link.claimedBy(Claim.SHORTCUT)) {
                if (drawnAtSize.getOrDefault(link.address(), n) * 4 < n) {
                    link.release(Claim.SHORTCUT);
                    drawnAtSize.remove(link.address());
                } else {
                    own++;
                }
            }
        }
        if (n < 2 * config.minNearPerSide() + 2) {
            return;
        }
        for (int i = own; i < config.shortcuts(); i++) {
            RingAddress offset = RingAddress.atFraction(harmonicFraction(n, random.nextDouble()));
            RingAddress me = table.me();
            connect.request(random.nextBoolean() ? me.plus(offset) : me.minus(offset), RoutingMode.NEAREST, Claim.SHORTCUT);
        }
    }

    /**
     * A shortcut's length as a fraction of the ring, drawn from the harmonic distribution over
     * [1/n, 1] (Symphony: density proportional to 1/x) for a uniform {@code u} in [0, 1).
     */
    static double harmonicFraction(double n, double u) {
        return Math.exp(Math.log(n) * (u - 1.0));
    }
}
