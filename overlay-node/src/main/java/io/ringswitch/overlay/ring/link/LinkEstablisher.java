package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.RingMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes links: sends link requests and answers them, asking the {@link LinkEvents admission
 * policy} before it accepts one. A request names the claim the link is for; the claim is held by
 * the sender, or, when the request answers a CONNECT, by the node that routed the CONNECT.
 * <p>
 * A request may go to several endpoints of one peer at once (its bound one and those its peers
 * saw: hole punching); the first reply makes the link. Requests and replies that come from a new
 * path of a linked peer move the link there ({@link LinkTable#repath}) rather than making a second
 * one. Every probe passes the {@link ProbeLimiter}; an unanswered request for a wanted link is
 * reported ({@link LinkEvents#unanswered}) so that a routed CONNECT can punch through.
 * <p>
 * Where UDP gets no answer within {@value #TCP_AFTER_MILLIS} ms, the request goes again over TCP
 * to the same endpoints (issue 10); a node whose UDP requests never got an answer while TCP did is
 * {@link #tcpOnly() TCP-only} and sends over TCP at once. A request may also go over a
 * {@link PeerPath.Relay relay} ({@link #requestVia}); a link made there moves to a direct path as
 * soon as a request or reply comes over one.
 */
public final class LinkEstablisher {
    private static final Logger log = LoggerFactory.getLogger(LinkEstablisher.class);
    private static final long PENDING_MILLIS = 5000;
    /**
     * Link requests awaiting a reply, at most: each CONNECT a peer routes here may start one, for
     * {@value #PENDING_MILLIS} ms; past this, no request is sent (and that is counted).
     */
    public static final int MAX_PENDING = 1024;
    /** A request unanswered over UDP this long goes again over TCP (while this node has heard no UDP at all). */
    static final long TCP_AFTER_MILLIS = 2000;
    /** UDP requests without any UDP answer, while TCP answered, after which a node takes itself for TCP-only. */
    static final int TCP_ONLY_AFTER = 3;

    private static final class Pending {
        final Contact contact;
        final Claim claim;
        final boolean forPeer;
        final boolean fallback;
        final long sentAt;
        final List<InetSocketAddress> endpoints;
        boolean tcpTried;

        Pending(Contact contact, Claim claim, boolean forPeer, boolean fallback, long sentAt,
                List<InetSocketAddress> endpoints, boolean tcpTried) {
            this.contact = contact;
            this.claim = claim;
            this.forPeer = forPeer;
            this.fallback = fallback;
            this.sentAt = sentAt;
            this.endpoints = endpoints;
            this.tcpTried = tcpTried;
        }

        Contact contact() {
            return contact;
        }

        Claim claim() {
            return claim;
        }

        boolean forPeer() {
            return forPeer;
        }

        boolean fallback() {
            return fallback;
        }

        long sentAt() {
            return sentAt;
        }
    }

    private final LinkTable table;
    private final RingCounters counters;
    private final PublicEndpoints endpoints;
    private final ProbeLimiter probes;
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Set<RingAddress> pendingAddresses = new HashSet<>();
    private LinkEvents events;
    private long udpRequests;
    private long udpHeard;
    private long tcpHeard;

    public LinkEstablisher(LinkTable table, PublicEndpoints endpoints, ProbeLimiter probes) {
        this.table = table;
        this.counters = table.counters();
        this.endpoints = endpoints;
        this.probes = probes;
    }

    public void attach(LinkEvents events) {
        this.events = events;
    }

    /** What this node's peers saw of it. */
    public PublicEndpoints publicEndpoints() {
        return endpoints;
    }

    public ProbeLimiter probes() {
        return probes;
    }

    /**
     * Asks {@code contact} for a link for {@code claim}. With {@code forPeer} the request answers
     * the peer's CONNECT, whose token is the {@code nonce}, and the peer holds the claim. If nobody
     * answers, a request of this node's own is reported as {@link LinkEvents#unanswered}.
     */
    public void request(Contact contact, Claim claim, long nonce, boolean forPeer) {
        request(contact.address(), List.of(contact.endpoint()), claim, nonce, forPeer, !forPeer);
    }

    /**
     * Asks {@code peer} ({@code null}: unknown, a bootstrap) for a link at each of its
     * {@code endpoints} at once; the first reply wins. {@code fallback} says whether an
     * unanswered request is reported. False when the limiter let no probe go.
     */
    public boolean request(RingAddress peer, List<InetSocketAddress> endpoints, Claim claim, long nonce, boolean forPeer,
                           boolean fallback) {
        return request(peer, endpoints, claim, nonce, forPeer, fallback, tcpOnly());
    }

    /** The same, over TCP at once with {@code tcp} (this node, or the peer, gets no UDP through). */
    public boolean request(RingAddress peer, List<InetSocketAddress> endpoints, Claim claim, long nonce, boolean forPeer,
                           boolean fallback, boolean tcp) {
        if (pending.size() >= MAX_PENDING && !pending.containsKey(nonce)) {
            if (Long.bitCount(Metrics.incremented(counters.pendingFull)) == 1) {
                log.warn("{}: {} link requests await replies; sent no more ({} so far)", table.me().shortString(),
                        pending.size(), counters.pendingFull());
            }
            return false;
        }
        RingMessage.LinkRequest message = null;
        List<InetSocketAddress> sentTo = new ArrayList<>(endpoints.size());
        tcp = tcp && table.config().tcp();
        for (InetSocketAddress e : endpoints) {
            if (sentTo.contains(e) || !probes.allow(e)) {
                continue;
            }
            if (message == null) {
                message = new RingMessage.LinkRequest(table.me(), claim, nonce, table.nearContacts());
            }
            sentTo.add(e);
            table.sendTo(tcp ? new PeerPath.Tcp(e) : new PeerPath.Udp(e), message);
        }
        if (sentTo.isEmpty()) {
            return false;
        }
        if (!tcp) {
            udpRequests++;
        }
        pending.put(nonce, new Pending(new Contact(peer, sentTo.get(0)), claim, forPeer, fallback, table.now(),
                sentTo, tcp));
        if (peer != null) {
            pendingAddresses.add(peer);
        }
        return true;
    }

    /**
     * Asks {@code peer} for a link over {@code relay} (its {@code via} carries the pair's sealed
     * records; issue 10): the last resort when no direct path gets through. {@code endpoint} is
     * what the link's contact names until a direct path replaces the relay.
     */
    public void requestVia(PeerPath.Relay relay, InetSocketAddress endpoint, Claim claim, long nonce) {
        if (pending.size() >= MAX_PENDING && !pending.containsKey(nonce)) {
            counters.pendingFull.inc();
            return;
        }
        table.sendTo(relay, new RingMessage.LinkRequest(table.me(), claim, nonce, table.nearContacts()));
        pending.put(nonce, new Pending(new Contact(relay.peer(), endpoint), claim, false, true, table.now(), List.of(),
                true));
        pendingAddresses.add(relay.peer());
    }

    /**
     * True when this node takes itself for TCP-only: it sent {@value #TCP_ONLY_AFTER} or more
     * requests over UDP and never got an answer over UDP, while TCP answered (a firewall that
     * blocks UDP). It then dials TCP at once and says so in its CONNECTs.
     */
    public boolean tcpOnly() {
        return table.config().tcp() && udpHeard == 0 && tcpHeard > 0 && udpRequests >= TCP_ONLY_AFTER;
    }

    /** Addresses a request is under way to. */
    public Collection<RingAddress> pendingAddresses() {
        return pendingAddresses;
    }

    /** Requests awaiting a reply. */
    public int pendingCount() {
        return pending.size();
    }

    public boolean isPending(RingAddress address) {
        return pendingAddresses.contains(address);
    }

    /**
     * Sends this node's own requests unanswered over UDP for {@value #TCP_AFTER_MILLIS} ms again
     * over TCP (not those that answer a CONNECT: a requester that needs TCP dials itself); forgets
     * requests nobody answered, and reports those of this node's own that had a peer.
     */
    public void expire() {
        if (pending.isEmpty()) {
            return;
        }
        long now = table.now();
        // Only while nothing ever came over UDP: a node that hears UDP is not behind a UDP block, and
        // a request of its own unanswered for a while (the peer restarting, a handshake retried)
        // must not end on TCP, where frames queue behind each other. A peer that needs TCP says so
        // in its CONNECTs and is dialled at once.
        if (table.config().tcp() && udpHeard == 0) {
            for (Map.Entry<Long, Pending> e : pending.entrySet()) {
                Pending p = e.getValue();
                if (!p.tcpTried && !p.forPeer && now - p.sentAt >= TCP_AFTER_MILLIS) {
                    p.tcpTried = true;
                    counters.tcpFallbacks.inc();
                    RingMessage.LinkRequest message = new RingMessage.LinkRequest(table.me(), p.claim, e.getKey(),
                            table.nearContacts());
                    for (InetSocketAddress endpoint : p.endpoints) {
                        table.sendTo(new PeerPath.Tcp(endpoint), message);
                    }
                }
            }
        }
        List<Pending> unanswered = new ArrayList<>();
        pending.values().removeIf(p -> {
            boolean old = now - p.sentAt() > PENDING_MILLIS;
            if (old && p.contact().address() != null) {
                pendingAddresses.remove(p.contact().address());
                if (p.fallback()) {
                    unanswered.add(p);
                }
            }
            return old;
        });
        for (Pending p : unanswered) {
            Link link = table.get(p.contact().address());
            if (link == null || !link.routable()) {
                events.unanswered(p.contact(), p.claim());
            }
        }
    }

    public void clear() {
        pending.clear();
        pendingAddresses.clear();
    }

    public void onRequest(PeerPath from, RingMessage.LinkRequest m) {
        heardOver(from);
        InetSocketAddress endpoint = endpointOf(from,
                from instanceof PeerPath.Relay ? events.endpointOf(m.from()) : null);
        if (endpoint == null) {
            // A relayed request from a peer whose CONNECT this node never saw: no endpoint to name it by.
            counters.linksRefused.inc();
            table.sendTo(from, new RingMessage.LinkReply(table.me(), m.claim(), false, m.nonce(), List.of(), null));
            return;
        }
        Link atPath = table.at(from);
        if (atPath != null && !atPath.address().equals(m.from())) {
            table.remove(atPath, "its path now answers for another address");
        }
        follow(m.from(), from, false);
        boolean ours = events.takeConnectToken(m.nonce());
        boolean agreed = ours || events.answeredConnect(m.nonce());
        boolean accept = events.admit(m.from(), m.claim(), table.contains(m.from()), agreed);
        if (accept) {
            counters.linksAccepted.inc();
            Link link = table.add(new Contact(m.from(), endpoint), from, m.claim() != Claim.JOIN);
            made(link, m.claim(), ours);
        } else {
            counters.linksRefused.inc();
        }
        table.sendTo(from, new RingMessage.LinkReply(table.me(), m.claim(), accept, m.nonce(), table.nearContacts(),
                seen(from)));
        events.candidates(m.neighbours());
    }

    public void onReply(PeerPath from, RingMessage.LinkReply m) {
        Pending asked = pending.get(m.nonce());
        if (asked == null || (asked.contact().address() != null && !asked.contact().address().equals(m.from()))) {
            Link link = table.get(m.from());
            if (asked != null || link == null || !link.path().equals(from)) {
                // A second reply to a request sent to several endpoints comes over the link: no stranger.
                counters.fromStranger.inc();
            }
            return;
        }
        pending.remove(m.nonce());
        heardOver(from);
        if (asked.contact().address() != null) {
            pendingAddresses.remove(asked.contact().address());
        }
        if (m.accepted()) {
            follow(m.from(), from, true);
            Link link = table.add(new Contact(m.from(), endpointOf(from, asked.contact().endpoint())), from,
                    asked.claim() != Claim.JOIN);
            link.rttMillis = table.now() - asked.sentAt();
            endpoints.report(m.from(), m.seen());
            made(link, asked.claim(), !asked.forPeer());
            if (asked.claim() == Claim.JOIN) {
                // A bootstrap node's neighbours are of no use to a joiner: it looks itself up instead.
                return;
            }
        }
        events.candidates(m.neighbours());
    }

    /**
     * A link request or reply ({@code reply}) from {@code peer} came over {@code path}: a link to
     * the peer on another path moves there (its NAT mapping changed, or a punch found a direct
     * path), unless the new path ranks lower (UDP, then TCP, then a relay), or it is another relay
     * than the one the pair agreed on ({@link PairRelay}).
     */
    private void follow(RingAddress peer, PeerPath path, boolean reply) {
        Link link = table.get(peer);
        if (link == null || link.path().equals(path) || rank(path) < rank(link.path())) {
            return;
        }
        if (link.path() instanceof PeerPath.Relay && path instanceof PeerPath.Relay
                && !PairRelay.agreed(table.me(), peer, reply)) {
            return;
        }
        boolean fromRelay = link.path() instanceof PeerPath.Relay;
        if (table.repath(link, path)) {
            counters.linksRepathed.inc();
            if (fromRelay && !(path instanceof PeerPath.Relay)) {
                counters.relayedToDirect.inc();
                events.direct(link);
            }
        }
    }

    /** Counts requests and replies heard over each transport, for {@link #tcpOnly()}. */
    private void heardOver(PeerPath path) {
        if (path instanceof PeerPath.Udp) {
            udpHeard++;
        } else if (path instanceof PeerPath.Tcp) {
            tcpHeard++;
        }
    }

    /** Ranks paths: UDP, then TCP, then a relay. */
    public static int rank(PeerPath path) {
        return path instanceof PeerPath.Udp ? 3 : path instanceof PeerPath.Tcp ? 2 : 1;
    }

    private void made(Link link, Claim claim, boolean holder) {
        probes.linked(link.path());
        if (holder) {
            link.claim(claim);
        } else {
            link.peerClaim = claim;
            link.peerDeclared = true;
        }
        if (claim == Claim.NEAR) {
            table.markJoined();
        }
        events.established(link, claim, holder);
    }

    /** The endpoint a message over {@code path} came from, as this node saw it; {@code null} if not UDP. */
    static InetSocketAddress seen(PeerPath path) {
        return path instanceof PeerPath.Udp udp ? udp.endpoint() : null;
    }

    private static InetSocketAddress endpointOf(PeerPath path, InetSocketAddress otherwise) {
        if (path instanceof PeerPath.Udp udp) {
            return udp.endpoint();
        }
        if (path instanceof PeerPath.Tcp tcp) {
            return tcp.endpoint();
        }
        return otherwise;
    }
}
