package io.ringswitch.overlay.ring.maintenance;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.RoutingMode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * On-demand links (IPOP's "shortcut connections", here for every pair that exchanges frames):
 * the frame path tells this part of every frame it sends to a site; once
 * {@link #FRAMES_TO_LINK} frames went to a site this node has no link to, whatever their rate, a
 * CONNECT goes to that site's exact address and the link it brings is held for
 * {@link Claim#TRAFFIC}, so that frames take one hop over a session of the pair's own (direct
 * UDP, TCP or relay) instead of a route over the ring. While frames keep going and no link came,
 * the request is repeated every {@link #RETRY_MILLIS}, from the status round, so the frame path
 * pays no more per frame than a count. The claim is let go after {@link #IDLE_MILLIS} without
 * frames, and the trimmer closes the link unless another claim keeps it. (Counting frames per
 * round, as before, left low-rate flows on the ring for good: issue 18.)
 */
final class OnDemandLinks {
    /** Frames to one site, at any rate, after which it should have a link of its own. */
    static final int FRAMES_TO_LINK = 4;
    static final long IDLE_MILLIS = 30_000;
    /** A request that brought no link is not repeated sooner than this. */
    static final long RETRY_MILLIS = 10_000;
    static final int MAX_SITES = 4096;

    private static final class Flow {
        int frames;
        long lastFrame;
        long requestedAt = Long.MIN_VALUE / 2;
    }

    private final LinkTable table;
    private final ConnectService connect;
    private final Map<RingAddress, Flow> flows = new HashMap<>();

    OnDemandLinks(LinkTable table, ConnectService connect) {
        this.table = table;
        this.connect = connect;
    }

    /** A frame for {@code site} left (over a link or routed). */
    void frameTo(RingAddress site) {
        if (site.equals(table.me())) {
            return;
        }
        Flow f = flows.get(site);
        if (f == null) {
            if (flows.size() >= MAX_SITES) {
                return;
            }
            f = new Flow();
            flows.put(site, f);
        }
        long now = table.now();
        f.lastFrame = now;
        // Counted up to the threshold only: a flow of billions of frames never wraps around.
        if (f.frames < FRAMES_TO_LINK && ++f.frames == FRAMES_TO_LINK) {
            requestIfUnlinked(site, f, now);
        }
    }

    private void requestIfUnlinked(RingAddress site, Flow f, long now) {
        if (!table.joined() || now - f.requestedAt < RETRY_MILLIS) {
            return;
        }
        Link link = table.get(site);
        if (link == null || !link.routable()) {
            f.requestedAt = now;
            table.counters().onDemandRequested.inc();
            connect.request(site, RoutingMode.EXACT, Claim.TRAFFIC);
        }
    }

    /** Once a status round: flows still without a link ask again; idle sites let go of their claim. */
    void round() {
        long now = table.now();
        for (Iterator<Map.Entry<RingAddress, Flow>> it = flows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<RingAddress, Flow> e = it.next();
            Flow f = e.getValue();
            if (f.frames >= FRAMES_TO_LINK && now - f.lastFrame < IDLE_MILLIS) {
                requestIfUnlinked(e.getKey(), f, now);
            }
            if (now - f.lastFrame >= IDLE_MILLIS) {
                Link link = table.get(e.getKey());
                if (link != null && link.claimedBy(Claim.TRAFFIC)) {
                    link.release(Claim.TRAFFIC);
                }
                it.remove();
            }
        }
    }
}
