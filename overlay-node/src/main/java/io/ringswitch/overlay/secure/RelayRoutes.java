package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.node.RingNode;

/**
 * What the layer asks of the ring to relay: where a site's direct link goes, and whether this
 * node relays between two sites. Called on the event loop.
 */
public interface RelayRoutes {
    /** The UDP or TCP path of a direct link to {@code site}; null when there is none. */
    PeerPath directPath(RingAddress site);

    /** Whether this node passes records from {@code from} on to {@code to}. */
    boolean mayRelay(RingAddress from, RingAddress to);

    /** The routes as {@code ring}'s links give them. */
    static RelayRoutes of(RingNode ring) {
        return new RelayRoutes() {
            @Override
            public PeerPath directPath(RingAddress site) {
                return ring.directPath(site);
            }

            @Override
            public boolean mayRelay(RingAddress from, RingAddress to) {
                return ring.mayRelay(from, to);
            }
        };
    }
}
