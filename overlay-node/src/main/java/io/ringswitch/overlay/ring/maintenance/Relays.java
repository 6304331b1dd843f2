package io.ringswitch.overlay.ring.maintenance;

import io.ringswitch.overlay.ring.BoundedMap;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkEstablisher;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.ConnectCodec;
import io.ringswitch.overlay.ring.message.RoutingMode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-hop relays (issue 10; the IPOP paper's §4.3 and Figure 4): when a CONNECT was answered but
 * no direct link came of it within {@value #DIRECT_WAIT_MILLIS} ms (or {@value #HOPELESS_WAIT_MILLIS} ms
 * when either side's NAT maps each destination to a new port, where a punch between two NATs cannot
 * work), this node asks the peer for the link over a relay: a direct link of its own to one of
 * the peer's near neighbours (named in the CONNECT_REPLY), chosen by
 * {@link RingConfig.RelayChoice}. With no such common neighbour it first links to one of the peer's
 * neighbours for {@link Claim#RELAY}, and then relays through it. Relays never chain: only a
 * direct link (UDP or TCP) can be one.
 * <p>
 * Both ends of a pair may ask at once, each through a relay of its own choice; the pair then
 * keeps the relay of its end with the lower ring address and the other end moves its link there
 * ({@link io.ringswitch.overlay.ring.link.PairRelay}, issue 18).
 * <p>
 * Both ends hold {@link Claim#RELAY} on their links to the relay while a relayed link depends on
 * it; when the link to the relay goes down, the links through it go too (the parts that wanted them
 * ask again). Every {@value #DIRECT_RETRY_MILLIS} ms a relayed link's holder punches again with a
 * CONNECT to the peer's exact address; the link moves to the direct path that answers. A pair whose
 * direct path died soon after it moved waits twice as long for the next try (damping), up to
 * {@value #MAX_BACKOFF} doublings.
 */
final class Relays {
    private static final Logger log = LoggerFactory.getLogger(Relays.class);
    /** How long after the CONNECT_REPLY a direct link may take before a relay is tried. */
    static final long DIRECT_WAIT_MILLIS = 3000;
    /**
     * The same where a NAT on either side varies its port: a punch between two NATs cannot work,
     * but the peer may be open, and a direct link to it takes one round trip.
     */
    static final long HOPELESS_WAIT_MILLIS = 1000;
    /** How often a relayed link tries for a direct path. */
    static final long DIRECT_RETRY_MILLIS = 30_000;
    /** A direct path that dies within this long of replacing a relay counts as a flap. */
    static final long FLAP_MILLIS = 60_000;
    static final int MAX_BACKOFF = 4;
    /** Rounds over every relay candidate before a pair waits for maintenance to ask again. */
    static final int MAX_ROUNDS = 3;
    private static final int MAX_ATTEMPTS = 64;
    private static final int MAX_ENDPOINTS = 1024;

    /** A peer this node wants a link to but reached no direct path to: its near neighbours, from the CONNECT_REPLY. */
    private static final class Attempt {
        final Claim claim;
        final List<Contact> neighbours;
        /** The peer's neighbour this node asked for a {@link Claim#RELAY} link, {@code null} for none. */
        RingAddress waitingFor;
        /** The relay of the request under way, {@code null} for none. */
        RingAddress asked;
        /** Relays asked already, that did not answer. */
        final Set<RingAddress> tried = new HashSet<>();
        /** Times every candidate was tried. */
        int rounds;

        Attempt(Claim claim, List<Contact> neighbours) {
            this.claim = claim;
            this.neighbours = neighbours;
        }
    }

    /** Per peer reached over a relay: when to try a direct path next, and how often one flapped. */
    private static final class Retry {
        long next;
        int flaps;
        long directSince = -1;
    }

    private final LinkTable table;
    private final LinkEstablisher establisher;
    private final Random random;
    private final Map<RingAddress, Attempt> attempts = new BoundedMap<>(MAX_ATTEMPTS);
    private final Map<RingAddress, Retry> retries = new HashMap<>();
    /** The endpoint each peer advertised in its last CONNECT or CONNECT_REPLY. */
    private final Map<RingAddress, InetSocketAddress> endpoints = new BoundedMap<>(MAX_ENDPOINTS);
    private ConnectService connect;

    Relays(LinkTable table, LinkEstablisher establisher, Random random) {
        this.table = table;
        this.establisher = establisher;
        this.random = random;
    }

    void attach(ConnectService connect) {
        this.connect = connect;
    }

    /** {@code peer} advertised {@code advertised} (bound first, then the public ones) in a CONNECT or its reply. */
    void advertised(RingAddress peer, List<InetSocketAddress> advertised) {
        if (!advertised.isEmpty()) {
            // The first public endpoint, if any: the bound one of a node behind a NAT reaches nobody.
            endpoints.put(peer, advertised.get(Math.min(1, advertised.size() - 1)));
        }
    }

    InetSocketAddress endpointOf(RingAddress peer) {
        return endpoints.get(peer);
    }

    /**
     * A CONNECT of this node's own for {@code claim} was answered: unless a direct link comes of it
     * soon, it is relayed. At once when a NAT on either side maps each destination to a new port.
     */
    void replied(ConnectCodec.ConnectReply reply, Claim claim, boolean thisVaries) {
        if (claim == Claim.JOIN || claim == Claim.RELAY || reply.answerer().equals(table.me())) {
            return;
        }
        RingAddress peer = reply.answerer();
        attempts.put(peer, new Attempt(claim, reply.neighbours()));
        boolean hopeless = reply.varies() || thisVaries;
        table.scheduler().schedule(hopeless ? HOPELESS_WAIT_MILLIS : DIRECT_WAIT_MILLIS, () -> check(peer));
    }

    /** No direct link to {@code peer} yet: relay through a common neighbour, or link to one of its neighbours first. */
    private void check(RingAddress peer) {
        Attempt attempt = attempts.get(peer);
        Link existing = table.get(peer);
        if (attempt == null || (existing != null && existing.routable())) {
            attempts.remove(peer);
            return;
        }
        Link via = choose(attempt.neighbours, peer, attempt.tried);
        if (via != null) {
            relay(via, peer, attempt);
            return;
        }
        // IPOP §4.3: no common neighbour; link to one of the peer's neighbours first, then relay through it.
        List<Contact> others = new ArrayList<>();
        for (Contact c : attempt.neighbours) {
            Link linked = table.get(c.address());
            if (!c.address().equals(table.me()) && !c.address().equals(peer)
                    && (linked == null || !(linked.path() instanceof PeerPath.Relay))) {
                others.add(c);
            }
        }
        if (others.isEmpty()) {
            attempts.remove(peer);
            return;
        }
        Contact hop = others.get(random.nextInt(others.size()));
        attempt.waitingFor = hop.address();
        log.debug("{}: no common neighbour with {}, linking to its neighbour {} to relay", table.me().shortString(),
                peer.shortString(), hop.address().shortString());
        if (!establisher.isPending(hop.address())) {
            establisher.request(hop, Claim.RELAY, random.nextLong(), false);
        }
    }

    /** The best direct link among the peer's {@code neighbours} but those {@code tried}, {@code null} for none. */
    private Link choose(List<Contact> neighbours, RingAddress peer, Set<RingAddress> tried) {
        Set<RingAddress> theirs = new HashSet<>();
        neighbours.forEach(c -> theirs.add(c.address()));
        long now = table.now();
        List<Link> candidates = new ArrayList<>();
        for (Link link : table.view()) {
            if (theirs.contains(link.address()) && !link.address().equals(peer) && !tried.contains(link.address())
                    && usable(link, now)) {
                candidates.add(link);
            }
        }
        Comparator<Link> oldest = Comparator.comparingLong(Link::created);
        Comparator<Link> fastest = Comparator.<Link>comparingLong(l -> l.rttMillis() < 0 ? Long.MAX_VALUE : l.rttMillis())
                .thenComparing(oldest);
        Comparator<Link> order = table.config().relayChoice() == RingConfig.RelayChoice.STABILITY ? oldest : fastest;
        return candidates.stream().min(order).orElse(null);
    }

    /** A link that may carry a relay: direct (relays do not chain), set up for the ring, heard lately. */
    private static boolean usable(Link link, long now) {
        return link.routable() && !(link.path() instanceof PeerPath.Relay) && !link.suspect(now);
    }

    private void relay(Link via, RingAddress peer, Attempt attempt) {
        InetSocketAddress endpoint = endpoints.get(peer);
        if (endpoint == null) {
            attempts.remove(peer);
            return;
        }
        via.claim(Claim.RELAY);
        attempt.asked = via.address();
        log.debug("{}: asking {} for a link over {}", table.me().shortString(), peer.shortString(),
                via.address().shortString());
        establisher.requestVia(new PeerPath.Relay(via.address(), peer), endpoint, attempt.claim, random.nextLong());
    }

    /**
     * A request to {@code peer} went unanswered; true when it was one over a relay, which is then
     * passed over for the next best (a relay may refuse: its own link to the peer is not up yet, or
     * it is over its budget). When every candidate was tried, they all get another chance after
     * {@value #DIRECT_WAIT_MILLIS} ms, up to {@value #MAX_ROUNDS} rounds.
     */
    boolean unanswered(RingAddress peer) {
        Attempt attempt = attempts.get(peer);
        if (attempt == null || attempt.asked == null) {
            return false;
        }
        attempt.tried.add(attempt.asked);
        attempt.asked = null;
        Link existing = table.get(peer);
        if (existing != null && existing.routable()) {
            attempts.remove(peer);
            return true;
        }
        if (choose(attempt.neighbours, peer, attempt.tried) != null) {
            check(peer);
        } else if (++attempt.rounds < MAX_ROUNDS) {
            attempt.tried.clear();
            table.scheduler().schedule(DIRECT_WAIT_MILLIS, () -> check(peer));
        } else {
            attempts.remove(peer);
        }
        return true;
    }

    /**
     * A link was made: over a relay, this end claims its link to the relay (and counts it if it
     * asked); a link to a neighbour of a peer waiting for one now carries the relay.
     */
    void established(Link link, boolean holder) {
        if (link.path() instanceof PeerPath.Relay relay) {
            Link via = table.get(relay.via());
            if (via != null) {
                via.claim(Claim.RELAY);
            }
            attempts.remove(link.address());
            retries.computeIfAbsent(link.address(), a -> new Retry()).next = table.now() + backoff(link.address());
            if (holder) {
                table.counters().relayedLinks.inc();
            }
            return;
        }
        long now = table.now();
        if (!usable(link, now)) {
            return;
        }
        for (Map.Entry<RingAddress, Attempt> e : List.copyOf(attempts.entrySet())) {
            if (link.address().equals(e.getValue().waitingFor)) {
                Link peerLink = table.get(e.getKey());
                if (peerLink == null || !peerLink.routable()) {
                    relay(link, e.getKey(), e.getValue());
                }
            }
        }
    }

    /** A relayed link moved to a direct path: the next relay for this peer waits if the direct one dies soon. */
    void direct(Link link) {
        Retry retry = retries.get(link.address());
        if (retry != null) {
            retry.directSince = table.now();
        }
    }

    /**
     * A link went down: the links relayed through it go too; a direct path that died soon after it
     * replaced a relay counts as a flap.
     */
    void linkDown(Link link) {
        for (Link other : table.all()) {
            if (other.path() instanceof PeerPath.Relay relay && relay.via().equals(link.address())) {
                table.remove(other, "its relay " + link.address().shortString() + " went down");
            }
        }
        Retry retry = retries.get(link.address());
        if (retry != null) {
            if (retry.directSince >= 0 && table.now() - retry.directSince < FLAP_MILLIS) {
                retry.flaps = Math.min(MAX_BACKOFF, retry.flaps + 1);
            } else if (retry.directSince >= 0) {
                retries.remove(link.address());
            }
            retry.directSince = -1;
        }
    }

    private long backoff(RingAddress peer) {
        Retry retry = retries.get(peer);
        return DIRECT_RETRY_MILLIS << (retry == null ? 0 : retry.flaps);
    }

    /**
     * Once a status round: relayed links that are due try for a direct path (a CONNECT to the
     * peer's exact address makes both sides punch), the links to the relays they use now hold
     * {@link Claim#RELAY}, and links to relays that nothing relays through any more let go of it.
     */
    void round() {
        long now = table.now();
        Set<RingAddress> carrying = new HashSet<>();
        for (Map.Entry<RingAddress, Attempt> e : attempts.entrySet()) {
            if (e.getValue().waitingFor != null) {
                carrying.add(e.getValue().waitingFor);
            }
        }
        // Most nodes relay no link: then there is no copy of the table to make, nor a path to read per link.
        for (Link link : table.relayedCount() == 0 ? List.<Link>of() : table.all()) {
            if (!(link.path() instanceof PeerPath.Relay relay)) {
                continue;
            }
            carrying.add(relay.via());
            // The link may have moved to the relay its peer chose (issue 18): that one is held now.
            Link via = table.get(relay.via());
            if (via != null) {
                via.claim(Claim.RELAY);
            }
            Retry retry = retries.computeIfAbsent(link.address(), a -> new Retry());
            Claim claim = link.strongestClaim();
            if (now >= retry.next && claim != null && claim != Claim.JOIN && claim != Claim.RELAY) {
                retry.next = now + backoff(link.address());
                connect.request(link.address(), RoutingMode.EXACT, claim);
            }
        }
        for (Link link : table.view()) {
            if (link.claimedBy(Claim.RELAY) && !carrying.contains(link.address())) {
                link.release(Claim.RELAY);
            }
        }
        retries.keySet().removeIf(peer -> {
            Retry r = retries.get(peer);
            Link link = table.get(peer);
            return link == null && r.directSince < 0 && r.flaps == 0;
        });
    }
}
