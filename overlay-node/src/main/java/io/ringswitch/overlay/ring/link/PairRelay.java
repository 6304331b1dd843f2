package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.RingAddress;

/**
 * Which relay the two ends of a relayed link use (issue 18). Both ends of a pair that cannot link
 * directly may ask at once, each over a relay of its own choice: always two different ones when
 * they have no common neighbour (each links to one of the other's neighbours first), and often
 * when they choose by latency. A link whose ends send over different relays passes no frame (each
 * end takes frames from its link's path) and its sessions look silent to the secure layer on both
 * ends. So the pair uses the relay that its end with the lower ring address chose; that end's
 * link requests, the replies to them and everything it sends over its link come over it. The lower
 * end moves its link to another relay only for a reply to its own request; the higher end follows
 * the lower end's requests and messages, never the replies to its own.
 */
public final class PairRelay {
    private PairRelay() {
    }

    /**
     * Whether a link request ({@code reply} false) or a reply from {@code peer} that came over a
     * relay came over the relay the pair uses, so that this end's link to the peer moves there.
     */
    static boolean agreed(RingAddress me, RingAddress peer, boolean reply) {
        return (me.compareTo(peer) < 0) == reply;
    }

    /**
     * Whether this end's relayed link to {@code peer} follows the relay the peer sends its ring
     * messages and records over: only when the peer is the lower end, whose relay the pair uses.
     */
    public static boolean followsPeer(RingAddress me, RingAddress peer) {
        return me.compareTo(peer) > 0;
    }
}
