package io.ringswitch.overlay.ring.maintenance;

import io.ringswitch.overlay.ring.BoundedMap;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkEstablisher;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.link.Liveness;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The nearest nodes on both sides (about log10 N each side): this part claims the links to them,
 * tells them its view when the view changes (and every {@value #FULL_EVERY} rounds in any case),
 * links to closer nodes it hears of, and looks itself up on the ring now and then, more often
 * while young or short of neighbours.
 */
final class NearNeighbours {
    /** A near neighbour hears the full view at least every this many rounds, changed or not. */
    static final int FULL_EVERY = 15;

    private record Told(int version, int round, Claim claim) {
    }

    private final LinkTable table;
    private final RingConfig config;
    private final LinkEstablisher establisher;
    private final ConnectService connect;
    private final Random random;
    private final Map<RingAddress, Told> told = new HashMap<>();
    /** The last non-empty view each linked peer told, considered again while this node is short. */
    private final Map<RingAddress, List<Contact>> heard = new HashMap<>();
    /**
     * Near neighbours whose links went down, and when: not asked again for a while, since views
     * heard from neighbours that have not noticed yet still name them, and a request to a node
     * that crashed would hold its place until it expired.
     */
    private final Map<RingAddress, Long> gone = new BoundedMap<>(32);
    private List<Contact> view = List.of();
    private int version;
    private int round;
    private long startedAt;
    private long nextSelfLookup;
    /** When a near link last went down. */
    private long nearDownAt = Long.MIN_VALUE / 2;

    NearNeighbours(LinkTable table, LinkEstablisher establisher, ConnectService connect, Random random) {
        this.table = table;
        this.config = table.config();
        this.establisher = establisher;
        this.connect = connect;
        this.random = random;
    }

    void start() {
        startedAt = table.now();
        nextSelfLookup = startedAt + config.selfLookupMillis() / 4;
    }

    void linkDown(Link link) {
        if (link.near()) {
            nearDownAt = table.now();
            gone.put(link.address(), nearDownAt);
        }
        told.remove(link.address());
        heard.remove(link.address());
    }

    /** One round: claim the near links, tell them what changed, look ourselves up when due. */
    void round() {
        round++;
        int before = table.nearPerSide();
        table.updateNearPerSide();
        boolean grew = table.nearPerSide() > before;
        List<Contact> near = table.nearContacts();
        if (!near.equals(view)) {
            view = near;
            version++;
        }
        for (Link link : table.clockwise()) {
            if (table.isNear(link)) {
                link.claim(Claim.NEAR);
            } else {
                link.release(Claim.NEAR);
            }
            if (link.claimedBy(Claim.NEAR) || link.peerClaim() == Claim.NEAR) {
                tell(link);
            }
        }
        long now = table.now();
        boolean short_ = table.size() < 2 * table.nearPerSide();
        if (short_ || grew || now - nearDownAt < 2 * config.deadAfterMillis()) {
            // Peers tell their views when they change; a request of ours that was lost would leave
            // this node short until the next change. While short, the views heard are weighed
            // again (no message unless a candidate is missing and not asked already). So they are
            // when k grew: the new k-th place on a side is held by whatever link came next, often
            // a shortcut dozens of nodes away, and the near neighbours, whose views name the nodes
            // that belong there, say nothing new; the only views coming in would be those of the
            // nodes just linked, each a step nearer, a walk of link set-ups and trims. And so they
            // are for a while after a near link went down: the neighbour that lost the same node
            // may have told its new view (naming the node now due) while the dead link, or a
            // request to it that has yet to expire, still held the place here.
            for (List<Contact> view : List.copyOf(heard.values())) {
                consider(view);
            }
        }
        if (table.joined() && (now >= nextSelfLookup
                || (short_ && now >= nextSelfLookup - config.selfLookupMillis() + 5000))) {
            lookUpSelf();
        }
    }

    private void tell(Link link) {
        Told last = told.get(link.address());
        Claim claim = link.strongestClaim();
        if (last == null || last.version() != version || round - last.round() >= FULL_EVERY) {
            table.send(link, new RingMessage.Status(table.me(), claim, view));
            told.put(link.address(), new Told(version, round, claim));
        } else if (last.claim() != claim) {
            table.send(link, new RingMessage.Status(table.me(), claim, List.of()));
            told.put(link.address(), new Told(last.version(), last.round(), claim));
        }
    }

    void onStatus(Link link, RingMessage.Status m) {
        Liveness.declared(link, m.claim());
        if (!m.neighbours().isEmpty()) {
            heard.put(link.address(), m.neighbours());
        }
        consider(m.neighbours());
    }

    /**
     * Asks this node's own place of the ring for its neighbours (a CONNECT to its own address),
     * entering the ring through one of this node's far links when it has one: routed from here,
     * the lookup would end among the neighbours this node has, and a node whose neighbours are
     * wrong because they are all part of one of two interleaved chains (what a join storm leaves
     * behind) would never hear of the other chain; from afar, it ends at the node nearest to this
     * one, whichever chain that is in.
     */
    void lookUpSelf() {
        long now = table.now();
        boolean young = now - startedAt < 6 * config.selfLookupMillis() / 4;
        nextSelfLookup = now + (young ? config.selfLookupMillis() / 4 : config.selfLookupMillis());
        table.counters().selfLookups.inc();
        connect.request(table.me(), RoutingMode.NEAREST_OTHER, Claim.NEAR, farLink(now));
    }

    /** A random routable link past the near neighbours on both sides that is not suspect; null for none. */
    private Link farLink(long now) {
        Link[] cw = table.clockwise();
        int k = table.nearPerSide();
        int far = cw.length - 2 * k;
        if (far <= 0) {
            return null;
        }
        int start = random.nextInt(far);
        for (int i = 0; i < far; i++) {
            Link link = cw[k + (start + i) % far];
            if (!link.suspect(now)) {
                return link;
            }
        }
        return null;
    }

    private boolean recentlyGone(RingAddress address) {
        Long at = gone.get(address);
        return at != null && table.now() - at < config.deadAfterMillis();
    }

    /**
     * Links to those candidates that would be among the {@code k} nearest on either side, counting
     * links and requests already under way: at most {@code 2k} requests, however long the list.
     */
    void consider(List<Contact> candidates) {
        RingAddress me = table.me();
        List<Contact> fresh = null;
        for (Contact c : candidates) {
            // The cheap test first: most candidates are no near neighbour of this node, and the
            // tests are pure, so their order changes nothing but the lookups made.
            if (c.address().equals(me) || !table.wouldBeNear(c.address())) {
                continue;
            }
            // A node linked only for a join is a candidate still: the request makes the link a near one.
            Link linked = table.get(c.address());
            if ((linked == null || !linked.routable()) && !establisher.isPending(c.address()) && !recentlyGone(c.address())) {
                if (fresh == null) {
                    fresh = new ArrayList<>(candidates.size());
                }
                fresh.add(c);
            }
        }
        if (fresh == null) {
            return;
        }
        // Candidates (new ones and requests under way) compete with the near links this node
        // holds for the k places on each side; only those that win one are asked. Counted
        // without the links held, a node that missed only its k-th neighbour on a side asked for
        // k nodes, the nearest of which then pushed the others out again, to be trimmed.
        int k = table.nearPerSide();
        Link[] cw = table.clockwise();
        List<RingAddress> contenders = new ArrayList<>(establisher.pendingAddresses().size() + fresh.size() + 2 * k);
        long now = table.now();
        for (RingAddress a : establisher.pendingAddresses()) {
            // A request to a neighbour whose link fell silent, or went down, holds no place: it
            // would keep the node that should take over from being asked until it expired.
            Link held = table.get(a);
            if (table.wouldBeNear(a) && !recentlyGone(a) && (held == null || !held.suspect(now))) {
                contenders.add(a);
            }
        }
        fresh.forEach(c -> contenders.add(c.address()));
        for (int i = 0; i < Math.min(k, cw.length); i++) {
            contenders.add(cw[i].address());
            if (cw.length - 1 - i >= k) {
                contenders.add(cw[cw.length - 1 - i].address());
            }
        }
        Set<RingAddress> wanted = new HashSet<>();
        contenders.sort((a, b) -> RingAddress.compareClockwise(me, a, b));
        for (int i = 0; i < Math.min(k, contenders.size()); i++) {
            wanted.add(contenders.get(i));
            wanted.add(contenders.get(contenders.size() - 1 - i));
        }
        for (Contact c : fresh) {
            if (wanted.contains(c.address())) {
                establisher.request(c, Claim.NEAR, random.nextLong(), false);
            }
        }
    }
}
