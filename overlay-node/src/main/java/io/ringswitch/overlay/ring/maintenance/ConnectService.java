package io.ringswitch.overlay.ring.maintenance;

import io.ringswitch.overlay.ring.BoundedMap;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkEstablisher;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.link.PublicEndpoints;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.ConnectCodec;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import io.ringswitch.overlay.ring.routing.Router;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT: how a node gets a link to the node nearest some point of the ring. The request is
 * routed to that point with the requester's endpoints (bound and learned); the node where it ends
 * asks the requester for a link at each of them, echoing its token, and routes back a
 * CONNECT_REPLY with its own endpoints, at which the requester then asks too. Both sides send
 * within one route time, so that each one's NAT or firewall has let the other in when the other's
 * request comes (hole punching); requests that cross make one link. The requester holds the claim
 * the request named (near for its own neighbours, shortcut for Symphony shortcuts). A requester
 * still joining has no place on the ring yet: its CONNECT names the node it joined through, and
 * the reply goes there and on over the join link. A CONNECT also follows a request of this node's
 * own that went unanswered, and a link that fell silent ({@link #fallback}).
 */
final class ConnectService implements PayloadHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectService.class);
    private static final int MAX_TOKENS = 64;
    /** A peer whose direct request went unanswered gets a fallback CONNECT at most this often. */
    static final long FALLBACK_MILLIS = 30_000;
    /**
     * A silent link's holder asks again at most this often: the first CONNECT may name this
     * node's old public endpoint while its peers' reports of the new one come in.
     */
    static final long SILENT_RETRY_MILLIS = 1_000;

    private final LinkTable table;
    private final LinkEstablisher establisher;
    private final Router router;
    private final Random random;
    private final RingCounters counters;
    private final BooleanSupplier inboundShortcutsFull;
    private final Consumer<List<Contact>> candidates;
    private final Relays relays;
    /** Tokens of this node's own CONNECTs and their claims, newest last. */
    private final Map<Long, Claim> tokens = new BoundedMap<>(MAX_TOKENS);
    /** Tokens of CONNECTs this node answered, and their requesters. */
    private final Map<Long, RingAddress> answered = new BoundedMap<>(MAX_TOKENS);
    /** When each peer last got a fallback CONNECT. */
    private final Map<RingAddress, Long> fallbacks = new BoundedMap<>(256);

    ConnectService(LinkTable table, LinkEstablisher establisher, Router router, Random random,
                   BooleanSupplier inboundShortcutsFull, Consumer<List<Contact>> candidates, Relays relays) {
        this.candidates = candidates;
        this.relays = relays;
        this.table = table;
        this.establisher = establisher;
        this.router = router;
        this.random = random;
        this.counters = table.counters();
        this.inboundShortcutsFull = inboundShortcutsFull;
    }

    /** Asks the node nearest {@code target} for a link this node will hold for {@code claim}. */
    void request(RingAddress target, RoutingMode mode, Claim claim) {
        request(target, mode, claim, null);
    }

    /**
     * The same, with {@code first} as the CONNECT's first hop ({@link Router#sendThrough}); null
     * routes it from this node.
     */
    void request(RingAddress target, RoutingMode mode, Claim claim, Link first) {
        long token = random.nextLong();
        tokens.put(token, claim);
        ConnectCodec.Connect connect = new ConnectCodec.Connect(claim, token, table.me(), replyVia(claim),
                establisher.publicEndpoints().advertised(ConnectCodec.MAX_ENDPOINTS), establisher.tcpOnly(), varies());
        byte[] payload = ConnectCodec.encodeConnect(connect);
        if (first == null) {
            router.send(target, mode, PayloadTypes.CONNECT, payload, true);
        } else {
            router.sendThrough(first, target, mode, PayloadTypes.CONNECT, payload, true);
        }
    }

    /** Whether this node's NAT maps each destination to a new port (no punch between it and another NAT works). */
    private boolean varies() {
        return establisher.publicEndpoints().mapping() == PublicEndpoints.Mapping.VARIES;
    }

    /**
     * The node a reply should go to, which hands it on over its link to this one: while this node
     * has no routable link, the peer of its join link. A NEAR CONNECT names this node's nearest
     * direct link too, lately heard: it ends at a node next to this one, and when the two cannot
     * link (NATs on both sides), greedy routing from there finds no way back to this node, while
     * it does find the way to a node linked to it (issue 10: the reply is what lets the pair
     * relay). The reply takes one hop more for it.
     */
    private RingAddress replyVia(Claim claim) {
        Link[] cw = table.clockwise();
        if (cw.length == 0) {
            for (Link link : table.view()) {
                return link.address();
            }
            return null;
        }
        if (claim == Claim.NEAR) {
            long now = table.now();
            for (Link link : cw) {
                if (!(link.path() instanceof PeerPath.Relay) && !link.suspect(now)
                        && now - link.lastHeard() < table.config().pingMillis()) {
                    return link.address();
                }
            }
        }
        return null;
    }

    /**
     * A request of this node's own to {@code peer} went unanswered, or its link to the peer fell
     * silent: a routed CONNECT to its exact address makes both sides send (at most once per
     * {@code gapMillis} per peer).
     */
    void fallback(RingAddress peer, Claim claim, long gapMillis) {
        long now = table.now();
        Long last = fallbacks.get(peer);
        if (last != null && now - last < gapMillis) {
            return;
        }
        fallbacks.put(peer, now);
        counters.connectFallbacks.inc();
        request(peer, RoutingMode.EXACT, claim);
    }

    /** True for a token of this node's own CONNECT (kept, so that crossing requests all count). */
    boolean take(long token) {
        return tokens.containsKey(token);
    }

    /** True for the token of a CONNECT this node answered. */
    boolean answered(long token) {
        return answered.containsKey(token);
    }

    @Override
    public void delivered(RingMessage.Routed m) {
        ConnectCodec.Connect connect;
        try {
            connect = ConnectCodec.decodeConnect(m.payload());
        } catch (RingMessageCodec.MalformedException e) {
            counters.malformed.inc();
            return;
        }
        RingAddress requester = connect.requester();
        if (!requester.equals(m.from())) {
            counters.malformed.inc();
        } else if (connect.claim() == Claim.SHORTCUT && inboundShortcutsFull.getAsBoolean() && !table.contains(requester)) {
            // Full: the requester draws another target after a while, which spreads shortcuts over
            // the ring instead of piling them on nodes with wide gaps.
            counters.linksRefused.inc();
        } else if (connect.claim() == Claim.NEAR && m.mode() != RoutingMode.EXACT && table.contains(requester)
                && table.get(requester).routable()) {
            // A self-lookup from a node linked already (and not just for a join): views travel in
            // status messages, a link request would add nothing. A shortcut that lands on a link
            // still gets its answer, so that the requester holds its claim there, and so does a
            // CONNECT to this node's exact address (a peer whose link to it fell silent punches again).
            counters.connectsAlreadyLinked.inc();
        } else if (!requester.equals(table.me())) {
            counters.connectsAnswered.inc();
            if (log.isDebugEnabled()) {
                log.debug("{}: answering a {} CONNECT from {} after {} hops", table.me().shortString(), connect.claim(),
                        requester.shortString(), m.hops());
            }
            answered.put(connect.token(), requester);
            relays.advertised(requester, connect.endpoints());
            if (!connect.tcpOnly()) {
                // A TCP-only requester dials this node's endpoints itself: it cannot be dialled.
                establisher.request(requester, connect.endpoints(), connect.claim(), connect.token(), true, false);
            }
            // The answerer's near neighbours go with the answer: a joiner behind a NAT that cannot
            // reach the answerer itself (a random-port NAT facing another NAT) still learns the
            // rest of its neighbourhood, and links to those it can reach. They are also the
            // requester's candidates for a relay when the punch fails (issue 10).
            ConnectCodec.ConnectReply reply = new ConnectCodec.ConnectReply(connect.token(), requester, table.me(),
                    establisher.publicEndpoints().advertised(ConnectCodec.MAX_ENDPOINTS), table.nearContacts(),
                    establisher.tcpOnly(), varies());
            RingAddress to = connect.via() != null ? connect.via() : requester;
            router.send(to, RoutingMode.EXACT, PayloadTypes.CONNECT_REPLY, ConnectCodec.encodeConnectReply(reply), true);
        }
    }

    /**
     * The answer to a CONNECT of this node's own: unless the answerer's request made the link
     * already, this node asks at each of the answerer's endpoints (the other half of the punch).
     * The answer to a CONNECT that named this node as its via (the requester joined through it,
     * or is its neighbour) goes on over the link to the requester.
     * The token, known only to the two ends and the nodes on the way, is what authenticates it.
     */
    void replyDelivered(RingMessage.Routed m) {
        ConnectCodec.ConnectReply reply;
        try {
            reply = ConnectCodec.decodeConnectReply(m.payload());
        } catch (RingMessageCodec.MalformedException e) {
            counters.malformed.inc();
            return;
        }
        if (!reply.requester().equals(table.me())) {
            Link joiner = table.get(reply.requester());
            if (joiner != null) {
                router.send(reply.requester(), RoutingMode.EXACT, PayloadTypes.CONNECT_REPLY, m.payload(), true);
            }
            return;
        }
        Claim claim = tokens.get(reply.token());
        if (claim == null) {
            counters.fromStranger.inc();
            return;
        }
        if (claim == Claim.NEAR && !reply.neighbours().isEmpty()) {
            candidates.accept(reply.neighbours());
        }
        relays.advertised(reply.answerer(), reply.endpoints());
        Link link = table.get(reply.answerer());
        if (link != null && link.routable() && link.claimedBy(claim) && !(link.path() instanceof PeerPath.Relay)
                && table.now() - link.lastHeard() < table.config().pingMillis()) {
            return;
        }
        // A TCP-only answerer gets no UDP through: it is dialled over TCP at once.
        establisher.request(reply.answerer(), reply.endpoints(), claim, reply.token(), false, false,
                reply.tcpOnly() || establisher.tcpOnly());
        if (link == null || !link.routable()) {
            relays.replied(reply, claim, varies());
        }
    }
}
