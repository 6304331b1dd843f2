package io.ringswitch.overlay.ring.node;

import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkEstablisher;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.link.PairRelay;

/**
 * Turns a node's links into the paths that frames and relayed records take around the ring's
 * routing (a direct link, if it is fit), and a peer's new path into its link moved there or not.
 * Split out of {@link RingNode}, which answers for it. On the node's one thread.
 */
final class LinkPaths {
    private final LinkTable table;
    private final Scheduler scheduler;
    private final RingConfig config;
    private final RingCounters counters;

    LinkPaths(LinkTable table, Scheduler scheduler, RingConfig config, RingCounters counters) {
        this.table = table;
        this.scheduler = scheduler;
        this.config = config;
        this.counters = counters;
    }

    /**
     * The path of a direct, routable link to {@code site} that is not suspect, or {@code null}:
     * where a frame for that site can go without the ring's routing.
     */
    PeerPath directPath(RingAddress site) {
        Link link = table.get(site);
        return link != null && link.routable() && !link.suspect(scheduler.nowMillis()) ? link.path() : null;
    }

    /**
     * The path of a direct link that frames for {@code site} take, or {@code null}: as
     * {@link #directPath}, but a link heard from within a keepalive interval keeps its frames when
     * a late hop acknowledgement made it suspect ({@link Link#carriesFrames}).
     */
    PeerPath framePath(RingAddress site) {
        Link link = table.get(site);
        return link != null && link.carriesFrames(scheduler.nowMillis(), config.pingMillis()) ? link.path() : null;
    }

    /**
     * Whether this node passes sealed records from {@code from} on to {@code to} as their relay:
     * both must be direct (UDP or TCP, never relayed: relays do not chain), routable links of this
     * node that are not suspect. The secure layer asks before each relayed record and then sends
     * it on {@link #directPath(RingAddress)} of {@code to}; two map look-ups.
     */
    boolean mayRelay(RingAddress from, RingAddress to) {
        if (from.equals(to)) {
            return false;
        }
        PeerPath in = directPath(from);
        PeerPath out = directPath(to);
        return in != null && out != null && !(in instanceof PeerPath.Relay) && !(out instanceof PeerPath.Relay);
    }

    /**
     * The peer {@code peer} is now reached by {@code path} (its NAT mapping changed, which the
     * secure layer saw as an authentic record from a new source): its link, if any, moves there
     * and keeps its claims. False when there is no link or the path is taken, and when the new
     * path ranks below the link's (UDP, then TCP, then a relay): a record that comes over a relay
     * does not move a direct link back onto it (when the direct path dies, so does the link, and
     * it is made again over a relay), and a relayed link moves to another relay only at the end
     * with the higher address (the pair keeps its lower end's relay).
     */
    boolean pathChanged(RingAddress peer, PeerPath path) {
        Link link = table.get(peer);
        if (link == null || link.path().equals(path)) {
            return link != null;
        }
        if (LinkEstablisher.rank(path) < LinkEstablisher.rank(link.path())) {
            return false;
        }
        if (link.path() instanceof PeerPath.Relay && path instanceof PeerPath.Relay
                && !PairRelay.followsPeer(table.me(), peer)) {
            // The pair keeps the relay its lower end chose (issue 18): that end does not follow the other's.
            return false;
        }
        boolean moved = table.repath(link, path);
        if (moved) {
            counters.linksRepathed.inc();
        }
        return moved;
    }
}
