package io.ringswitch.overlay.ring;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the structured ring. It keeps near neighbours on both sides (a few, more as the ring
 * grows), Symphony shortcuts drawn from the harmonic distribution, and routes greedily by ring
 * distance. All of its state is touched only from the thread that drives it (a node's event loop,
 * or the simulator), through {@link #start}, {@link #onMessage} and the timers it schedules.
 *
 * <p>Joining: a leaf link to a bootstrap node, then a CONNECT routed to the joiner's own address
 * (nearest node, the joiner excepted); that node links back and hands over its neighbours, and
 * the joiner links to the nearest of them. Leaf links carry only the join: nothing is routed
 * through them, and a node that has not joined yet neither answers CONNECTs nor serves as a
 * bootstrap, so that two rings never start side by side. Near neighbours exchange their views every
 * {@code statusMillis}; a node that learns of a closer one links to it, and links that no side
 * needs any longer are trimmed. Links silent for {@code deadAfterMillis} are dropped, and a node
 * short of neighbours on a side looks itself up again.
 */
public final class RingNode {
    private static final Logger log = LoggerFactory.getLogger(RingNode.class);
    private static final int SEEN_BROADCASTS = 4096;
    private static final long PENDING_MILLIS = 5000;

    /** A link to another node as this node sees it. */
    public static final class Link {
        final Contact contact;
        int kinds;
        /** This node asked for the link as one of its shortcuts. */
        boolean ownShortcut;
        double shortcutDrawnAtSize;
        boolean peerNeedsMe;
        /** The peer has told us (status or ping) whether it needs this link. */
        boolean peerDeclared;
        long created;
        long lastHeard;
        long lastSent;
        long suspectUntil;
        long rttMillis = -1;
        /** The link stands in the clockwise order (it is routable). */
        boolean listed;
        long pingNonce;
        long pingSent;

        Link(Contact contact, long now) {
            this.contact = contact;
            this.created = now;
            this.lastHeard = now;
        }

        public Contact contact() {
            return contact;
        }

        public int kinds() {
            return kinds;
        }

        public boolean ownShortcut() {
            return ownShortcut;
        }

        public long rttMillis() {
            return rttMillis;
        }
    }

    private record Pending(Contact contact, int kind, long sentAt) {
    }

    private record Inflight(RingMessage.Routed message, Link next, int attempt, Scheduler.Cancellable timer) {
    }

    private final Contact self;
    private final RingConfig config;
    private final Scheduler scheduler;
    private final RingTransport transport;
    private final RingListener listener;
    private final Random random;
    private final Map<RingAddress, Link> links = new HashMap<>();
    private final Map<InetSocketAddress, Link> byEndpoint = new HashMap<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Set<RingAddress> pendingAddresses = new HashSet<>();
    private final Map<Long, Integer> pendingConnects = new HashMap<>();
    private final Map<Long, Inflight> inflight = new HashMap<>();
    private final Map<Long, Boolean> seenBroadcasts = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > SEEN_BROADCASTS;
        }
    };
    private final RingCounters counters = new RingCounters();
    /** Links in clockwise order from this node, kept sorted as links come and go. */
    private final List<Link> clockwise = new ArrayList<>();
    private Link[] clockwiseArray = new Link[0];
    private boolean sorted = true;
    private int nearPerSide;
    private List<InetSocketAddress> bootstraps = List.of();
    private boolean running;
    private boolean connected;
    private long nextStatus;
    private long nextSelfLookup;
    private long nextShortcuts;
    private long nextBootstrap;
    private long startedAt;
    private Scheduler.Cancellable tickTimer;

    public RingNode(Contact self, RingConfig config, Scheduler scheduler, RingTransport transport,
                    RingListener listener, Random random) {
        this.self = self;
        this.config = config;
        this.scheduler = scheduler;
        this.transport = transport;
        this.listener = listener;
        this.random = random;
        this.nearPerSide = config.minNearPerSide();
    }

    public Contact self() {
        return self;
    }

    public RingAddress address() {
        return self.address();
    }

    public boolean isRunning() {
        return running;
    }

    /**
     * True once the node is part of a ring: it started one, or it has had a near neighbour. A node
     * that lost every link stays part of its (one-node) ring while it looks for the others.
     */
    public boolean isConnected() {
        return connected;
    }

    public RingCounters counters() {
        return counters;
    }

    /**
     * Starts the node. With no bootstrap endpoint (other than itself) it is the first node of a new
     * ring; otherwise it joins through one of them, retrying until one answers.
     */
    public void start(List<InetSocketAddress> bootstrapEndpoints) {
        running = true;
        startedAt = scheduler.nowMillis();
        bootstraps = bootstrapEndpoints.stream().filter(e -> !e.equals(self.endpoint())).toList();
        long now = scheduler.nowMillis();
        if (bootstraps.isEmpty()) {
            connected = true;
        } else {
            contactBootstrap(now);
        }
        nextStatus = now + random.nextInt((int) config.statusMillis());
        nextSelfLookup = now + config.selfLookupMillis() / 4;
        nextShortcuts = now + config.shortcutMillis();
        scheduleTick(random.nextInt((int) config.tickMillis()) + 1);
    }

    /** Stops the node; a graceful stop tells every neighbour (and hands them its own neighbours). */
    public void stop(boolean graceful) {
        if (graceful && running) {
            List<Contact> near = nearContacts();
            for (Link link : links.values()) {
                send(link, new RingMessage.Close(self.address(), near));
            }
        }
        running = false;
        if (tickTimer != null) {
            tickTimer.cancel();
        }
        inflight.values().forEach(i -> i.timer().cancel());
        inflight.clear();
        links.clear();
        byEndpoint.clear();
        clockwise.clear();
        sorted = false;
    }

    // ---------------------------------------------------------------- application API

    /**
     * Sends a payload over the ring. {@code MODE_EXACT} delivers only at {@code dst};
     * {@code MODE_NEAREST} at the node nearest to it. Reliable messages are acknowledged hop by
     * hop and re-routed around a hop that does not answer.
     */
    public void send(RingAddress dst, int mode, int payloadType, byte[] payload, boolean reliable) {
        counters.originated++;
        RingMessage.Routed message = new RingMessage.Routed(self.address(), dst, mode, config.maxTtl(), 0,
                reliable ? RingMessage.FLAG_RELIABLE : 0, random.nextLong(), payloadType, payload);
        route(message, 0);
    }

    /** Sends a payload to every node of the ring, each exactly once when the ring is consistent. */
    public void broadcast(int payloadType, byte[] payload) {
        long id = random.nextLong();
        seenBroadcasts.put(id, Boolean.TRUE);
        counters.broadcastsOriginated++;
        forwardBroadcast(self.address(), id, self.address(), config.maxTtl(), payloadType, payload);
    }

    /** The nearest {@code n} neighbours clockwise (right), nearest first. */
    public List<Contact> rightNeighbours(int n) {
        Link[] cw = sortedLinks();
        List<Contact> out = new ArrayList<>(n);
        for (int i = 0; i < Math.min(n, cw.length); i++) {
            out.add(cw[i].contact);
        }
        return out;
    }

    /** The nearest {@code n} neighbours counter-clockwise (left), nearest first. */
    public List<Contact> leftNeighbours(int n) {
        Link[] cw = sortedLinks();
        List<Contact> out = new ArrayList<>(n);
        for (int i = 0; i < Math.min(n, cw.length); i++) {
            out.add(cw[cw.length - 1 - i].contact);
        }
        return out;
    }

    public List<Link> links() {
        return List.of(sortedLinks());
    }

    public int linkCount() {
        return links.size();
    }

    /** The ring's size as this node estimates it from the spacing of its near neighbours. */
    public double estimatedSize() {
        Link[] cw = sortedLinks();
        int k = Math.min(config.maxNearPerSide(), cw.length / 2);
        if (k == 0) {
            return cw.length + 1;
        }
        double span = self.address().clockwiseTo(cw[k - 1].contact.address()).fraction()
                + cw[cw.length - k].contact.address().clockwiseTo(self.address()).fraction();
        return span <= 0 ? cw.length + 1 : Math.max(cw.length + 1, 2 * k / span);
    }

    /** Near neighbours kept on each side: about log10 of the ring's size, within the configured bounds. */
    int nearPerSide() {
        sortedLinks();
        return nearPerSide;
    }

    // ---------------------------------------------------------------- messages

    /** One message from the underlay; {@code from} is the endpoint it came from. */
    public void onMessage(InetSocketAddress from, RingMessage message) {
        if (!running) {
            return;
        }
        if (message.from().equals(self.address()) && !(message instanceof RingMessage.Routed)
                && !(message instanceof RingMessage.Broadcast)) {
            counters.fromStranger++;
            return;
        }
        if (message instanceof RingMessage.LinkRequest m) {
            onLinkRequest(from, m);
            return;
        }
        if (message instanceof RingMessage.LinkReply m) {
            onLinkReply(from, m);
            return;
        }
        Link link = byEndpoint.get(from);
        if (link == null || (!(message instanceof RingMessage.Routed) && !(message instanceof RingMessage.Broadcast)
                && !link.contact.address().equals(message.from()))) {
            counters.fromStranger++;
            if (Long.bitCount(counters.fromStranger) == 1) {
                log.debug("{}: dropped a {} from {}, which is no link of ours", self.address().shortString(),
                        message.getClass().getSimpleName(), from);
            }
            return;
        }
        long now = scheduler.nowMillis();
        link.lastHeard = now;
        link.suspectUntil = 0;
        if (message instanceof RingMessage.Status m) {
            link.peerNeedsMe = m.needsYou();
            link.peerDeclared = true;
            considerCandidates(m.neighbours());
        } else if (message instanceof RingMessage.Ping m) {
            link.peerNeedsMe = false;
            link.peerDeclared = true;
            send(link, new RingMessage.Pong(self.address(), m.nonce()));
        } else if (message instanceof RingMessage.Pong m) {
            if (m.nonce() == link.pingNonce && link.pingSent > 0) {
                link.rttMillis = now - link.pingSent;
            }
        } else if (message instanceof RingMessage.Close m) {
            removeLink(link, "closed by peer");
            considerCandidates(m.neighbours());
        } else if (message instanceof RingMessage.Routed m) {
            onRouted(link, m);
        } else if (message instanceof RingMessage.HopAck m) {
            Inflight done = inflight.remove(m.id());
            if (done != null && done.next() == link) {
                done.timer().cancel();
            } else if (done != null) {
                inflight.put(m.id(), done);
            }
        } else if (message instanceof RingMessage.Broadcast m) {
            onBroadcast(m);
        }
    }

    private void onLinkRequest(InetSocketAddress from, RingMessage.LinkRequest m) {
        long now = scheduler.nowMillis();
        Link existing = links.get(m.from());
        Link atEndpoint = byEndpoint.get(from);
        if (atEndpoint != null && !atEndpoint.contact.address().equals(m.from())) {
            removeLink(atEndpoint, "endpoint now answers for another address");
        }
        Integer askedKind = pendingConnects.remove(m.nonce());
        boolean inboundShortcut = (m.kind() & RingMessage.KIND_SHORTCUT) != 0 && askedKind == null;
        boolean leaf = m.kind() == RingMessage.KIND_LEAF;
        // A node still joining serves as nobody's bootstrap. Near links are accepted whenever they
        // would be near; maxLinks and the inbound shortcut budget bound the others.
        boolean accept = (!leaf || connected) && (existing != null
                || (links.size() < config.maxLinks() && (!inboundShortcut || inboundShortcuts() < inboundShortcutLimit()))
                || wouldBeNear(m.from()));
        if (accept) {
            counters.linksAccepted++;
            Link link = addLink(new Contact(m.from(), from), m.kind(), now);
            if (askedKind != null && (askedKind & RingMessage.KIND_SHORTCUT) != 0) {
                link.ownShortcut = true;
                link.shortcutDrawnAtSize = estimatedSize();
            }
        } else {
            counters.linksRefused++;
        }
        sendTo(from, new RingMessage.LinkReply(self.address(), m.kind(), accept, m.nonce(), nearContacts()));
        considerCandidates(m.neighbours());
    }

    private void onLinkReply(InetSocketAddress from, RingMessage.LinkReply m) {
        Pending asked = pending.remove(m.nonce());
        if (asked == null || (asked.contact().address() != null && !asked.contact().address().equals(m.from()))) {
            counters.fromStranger++;
            if (asked != null) {
                pending.put(m.nonce(), asked);
            }
            return;
        }
        if (asked.contact().address() != null) {
            pendingAddresses.remove(asked.contact().address());
        }
        if (m.accepted()) {
            long now = scheduler.nowMillis();
            Link link = addLink(new Contact(m.from(), from), asked.kind(), now);
            link.rttMillis = now - asked.sentAt();
            if ((asked.kind() & RingMessage.KIND_LEAF) != 0) {
                // Joining: find the node nearest to our own address, which hands us our
                // neighbours; the bootstrap node's own neighbours are of no use to us.
                lookUpSelf(now);
                return;
            }
        }
        considerCandidates(m.neighbours());
    }

    private void onRouted(Link from, RingMessage.Routed m) {
        if (m.ttl() > config.maxTtl() || m.hops() > config.maxTtl()) {
            counters.hopLimitAbuse++;
            return;
        }
        if ((m.flags() & RingMessage.FLAG_RELIABLE) != 0) {
            send(from, new RingMessage.HopAck(self.address(), m.id()));
        }
        route(m, 0);
    }

    /** Delivers here, forwards to the best next hop, or drops, counting which. */
    private void route(RingMessage.Routed m, int attempt) {
        boolean excludeSource = m.mode() == RingMessage.MODE_NEAREST_OTHER;
        boolean iAmSource = m.from().equals(self.address());
        if (!(excludeSource && iAmSource) && m.dst().equals(self.address())) {
            deliver(m);
            return;
        }
        RingAddress myDistance = excludeSource && iAmSource ? RingAddress.MAX : self.address().distanceTo(m.dst());
        // A node still joining routes through its leaf link: it must not pose as anybody's nearest.
        Link next = nextHop(m.dst(), excludeSource ? m.from() : null, iAmSource || !connected);
        if (next == null || next.contact.address().distanceTo(m.dst()).compareTo(myDistance) >= 0) {
            if (m.mode() == RingMessage.MODE_EXACT || (excludeSource && iAmSource)) {
                counters.noRoute++;
                listener.undeliverable(m);
            } else {
                deliver(m);
            }
            return;
        }
        if (m.ttl() == 0) {
            counters.ttlExpired++;
            return;
        }
        counters.forwarded++;
        if (!iAmSource) {
            counters.relayed++;
        }
        send(next, m.hop());
        if ((m.flags() & RingMessage.FLAG_RELIABLE) != 0) {
            long timeout = next.rttMillis > 0 ? Math.max(100, 3 * next.rttMillis) : config.hopAckMillis();
            Scheduler.Cancellable timer = scheduler.schedule(timeout, () -> hopTimedOut(m, next, attempt));
            Inflight previous = inflight.put(m.id(), new Inflight(m, next, attempt, timer));
            if (previous != null) {
                previous.timer().cancel();
            }
        }
    }

    private void hopTimedOut(RingMessage.Routed m, Link next, int attempt) {
        Inflight current = inflight.get(m.id());
        if (!running || current == null || current.next() != next) {
            return;
        }
        inflight.remove(m.id());
        next.suspectUntil = scheduler.nowMillis() + config.deadAfterMillis();
        if (attempt >= config.maxRetries()) {
            counters.retriesExhausted++;
            return;
        }
        counters.hopRetries++;
        route(m, attempt + 1);
    }

    /** The link nearest {@code dst}; leaf links only while joining or for our own messages. */
    private Link nextHop(RingAddress dst, RingAddress exclude, boolean mayUseLeaf) {
        long now = scheduler.nowMillis();
        Link direct = links.get(dst);
        if (direct != null && direct.suspectUntil <= now && !dst.equals(exclude)) {
            // The common case for frames between linked sites: no distances to compute.
            return direct;
        }
        Link best = null;
        RingAddress bestDistance = null;
        for (Link link : links.values()) {
            if (link.suspectUntil > now || link.contact.address().equals(exclude)
                    || (!mayUseLeaf && !routable(link) && !link.contact.address().equals(dst))) {
                continue;
            }
            RingAddress d = link.contact.address().distanceTo(dst);
            if (best == null || d.compareTo(bestDistance) < 0) {
                best = link;
                bestDistance = d;
            }
        }
        return best;
    }

    private void deliver(RingMessage.Routed m) {
        if (!connected && !m.dst().equals(self.address())) {
            // A node still joining is nobody's nearest: answering would start a second ring.
            counters.noRoute++;
            return;
        }
        counters.delivered++;
        if (m.payloadType() == RingMessage.PAYLOAD_CONNECT) {
            try {
                RingMessageCodec.Connect connect = RingMessageCodec.decodeConnect(m.payload());
                boolean shortcut = (connect.kind() & RingMessage.KIND_SHORTCUT) != 0;
                if (shortcut && inboundShortcuts() >= inboundShortcutLimit() && !links.containsKey(connect.requester().address())) {
                    // Full: the requester draws another target after a while, which spreads
                    // shortcuts over the ring instead of piling them on nodes with wide gaps.
                    counters.linksRefused++;
                } else if (!connect.requester().address().equals(self.address())) {
                    counters.connectsAnswered++;
                    if (log.isDebugEnabled()) {
                        log.debug("{}: answering {} CONNECT from {} after {} hops", self.address().shortString(),
                                m.mode() == RingMessage.MODE_NEAREST_OTHER ? "self-lookup" : "shortcut",
                                connect.requester().address().shortString(), m.hops());
                    }
                    requestLink(connect.requester(), connect.kind(), connect.token());
                }
            } catch (RingMessageCodec.MalformedException e) {
                counters.malformed++;
            }
            return;
        }
        listener.delivered(m.from(), m.payloadType(), m.payload(), m.hops());
    }

    private void onBroadcast(RingMessage.Broadcast m) {
        if (m.ttl() > config.maxTtl()) {
            counters.hopLimitAbuse++;
            return;
        }
        if (seenBroadcasts.putIfAbsent(m.id(), Boolean.TRUE) != null) {
            counters.broadcastDuplicates++;
            return;
        }
        counters.broadcastsDelivered++;
        listener.broadcastDelivered(m.from(), m.payloadType(), m.payload());
        forwardBroadcast(m.from(), m.id(), m.rangeEnd(), m.ttl(), m.payloadType(), m.payload());
    }

    /**
     * Splits the range from this node up to {@code end} among the links inside it: each link gets
     * the part from itself up to the next link, so the parts are disjoint and cover the range.
     */
    private void forwardBroadcast(RingAddress origin, long id, RingAddress end, int ttl, int type, byte[] payload) {
        if (ttl <= 0) {
            return;
        }
        boolean fullCircle = end.equals(self.address());
        RingAddress span = self.address().clockwiseTo(end);
        List<Link> inRange = new ArrayList<>();
        for (Link link : sortedLinks()) {
            RingAddress d = self.address().clockwiseTo(link.contact.address());
            if (fullCircle || d.compareTo(span) < 0) {
                inRange.add(link);
            }
        }
        for (int i = 0; i < inRange.size(); i++) {
            RingAddress subEnd = i + 1 < inRange.size() ? inRange.get(i + 1).contact.address() : end;
            send(inRange.get(i), new RingMessage.Broadcast(origin, id, subEnd, ttl - 1, type, payload));
        }
    }

    // ---------------------------------------------------------------- links

    /**
     * Links to those candidates that would be among the {@code k} nearest on either side, counting
     * links and requests already under way: at most {@code 2k} requests, however long the list.
     */
    private void considerCandidates(List<Contact> candidates) {
        List<Contact> fresh = null;
        for (Contact c : candidates) {
            if (!c.address().equals(self.address()) && !links.containsKey(c.address())
                    && !pendingAddresses.contains(c.address()) && wouldBeNear(c.address())) {
                if (fresh == null) {
                    fresh = new ArrayList<>(candidates.size());
                }
                fresh.add(c);
            }
        }
        if (fresh == null) {
            return;
        }
        // Candidates (new ones and requests under way) compete for the places that beat the
        // current k-th neighbour on each side; only the best k per side are asked.
        RingAddress me = self.address();
        List<RingAddress> contenders = new ArrayList<>(pendingAddresses.size() + fresh.size());
        for (RingAddress a : pendingAddresses) {
            if (wouldBeNear(a)) {
                contenders.add(a);
            }
        }
        fresh.forEach(c -> contenders.add(c.address()));
        int k = nearPerSide();
        Set<RingAddress> wanted = new HashSet<>();
        contenders.sort((a, b) -> RingAddress.compareClockwise(me, a, b));
        for (int i = 0; i < Math.min(k, contenders.size()); i++) {
            wanted.add(contenders.get(i));
            wanted.add(contenders.get(contenders.size() - 1 - i));
        }
        for (Contact c : fresh) {
            if (wanted.contains(c.address())) {
                requestLink(c, RingMessage.KIND_NEAR, random.nextLong());
            }
        }
    }

    /** Would a node at {@code address} be among this node's near neighbours on either side? */
    private boolean wouldBeNear(RingAddress address) {
        Link[] cw = sortedLinks();
        int k = nearPerSide();
        if (cw.length < 2 * k) {
            return true;
        }
        RingAddress right = self.address().clockwiseTo(address);
        RingAddress left = address.clockwiseTo(self.address());
        return right.compareTo(self.address().clockwiseTo(cw[k - 1].contact.address())) < 0
                || left.compareTo(cw[cw.length - k].contact.address().clockwiseTo(self.address())) < 0;
    }

    private boolean isNear(Link link, Link[] cw, int k) {
        for (int i = 0; i < Math.min(k, cw.length); i++) {
            if (cw[i] == link || cw[cw.length - 1 - i] == link) {
                return true;
            }
        }
        return false;
    }

    private List<Contact> nearContacts() {
        Link[] cw = sortedLinks();
        int k = nearPerSide();
        List<Contact> out = new ArrayList<>(2 * k);
        for (int i = 0; i < Math.min(k, cw.length); i++) {
            out.add(cw[i].contact);
            if (cw.length - 1 - i > i && cw.length - 1 - i >= k) {
                out.add(cw[cw.length - 1 - i].contact);
            }
        }
        return out;
    }

    private void requestLink(Contact contact, int kind, long nonce) {
        pending.put(nonce, new Pending(contact, kind, scheduler.nowMillis()));
        if (contact.address() != null) {
            pendingAddresses.add(contact.address());
        }
        sendTo(contact.endpoint(), new RingMessage.LinkRequest(self.address(), kind, nonce, nearContacts()));
    }

    private Link addLink(Contact contact, int kind, long now) {
        Link link = links.get(contact.address());
        if (link != null) {
            link.suspectUntil = 0;
        } else {
            link = new Link(contact, now);
            links.put(contact.address(), link);
            byEndpoint.put(contact.endpoint(), link);
            counters.linksUp++;
        }
        link.kinds |= kind;
        link.lastHeard = now;
        relist(link);
        if ((kind & RingMessage.KIND_NEAR) != 0) {
            connected = true;
        }
        return link;
    }

    /** Puts a link into the clockwise order, or takes it out, as its kinds now say; at most once. */
    private void relist(Link link) {
        boolean belongs = routable(link);
        if (belongs == link.listed) {
            return;
        }
        int at = clockwiseIndex(link.contact.address());
        if (belongs) {
            clockwise.add(at, link);
        } else {
            clockwise.remove(at);
        }
        link.listed = belongs;
        sorted = false;
        listener.linksChanged();
    }

    /**
     * Leaf links (a joiner and its bootstrap node) carry only the join: they are no neighbours,
     * route nothing through, and are dropped once the joiner has found its place.
     */
    private static boolean routable(Link link) {
        return (link.kinds & ~RingMessage.KIND_LEAF) != 0;
    }

    private void removeLink(Link link, String why) {
        if (links.remove(link.contact.address()) == null) {
            return;
        }
        byEndpoint.remove(link.contact.endpoint());
        link.kinds = 0;
        relist(link);
        counters.linksDown++;
        log.debug("{}: link to {} down: {}", self.address().shortString(), link.contact.address().shortString(), why);
    }

    private int inboundShortcutLimit() {
        return 2 * config.shortcuts() + 2;
    }

    private int inboundShortcuts() {
        int n = 0;
        for (Link link : links.values()) {
            if ((link.kinds & RingMessage.KIND_SHORTCUT) != 0 && !link.ownShortcut) {
                n++;
            }
        }
        return n;
    }

    private Link[] sortedLinks() {
        if (!sorted) {
            clockwiseArray = clockwise.toArray(new Link[0]);
            sorted = true;
            int byLog = (int) Math.ceil(Math.log10(Math.max(10, estimatedSize())));
            nearPerSide = Math.max(config.minNearPerSide(), Math.min(config.maxNearPerSide(), byLog));
        }
        return clockwiseArray;
    }

    /** Where a link to {@code address} sits (or would sit) in clockwise order. */
    private int clockwiseIndex(RingAddress address) {
        int lo = 0;
        int hi = clockwise.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (RingAddress.compareClockwise(self.address(), clockwise.get(mid).contact.address(), address) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    // ---------------------------------------------------------------- periodic work

    private void scheduleTick(long delay) {
        tickTimer = scheduler.schedule(delay, this::tick);
    }

    private void tick() {
        if (!running) {
            return;
        }
        long now = scheduler.nowMillis();
        for (Link link : new ArrayList<>(links.values())) {
            if (now - link.lastHeard > config.deadAfterMillis()) {
                removeLink(link, "silent for " + (now - link.lastHeard) + " ms");
            } else if (!routable(link) && now - link.created > 3 * config.statusMillis()) {
                send(link, new RingMessage.Close(self.address(), List.of()));
                removeLink(link, "the join it carried is done");
            }
        }
        pending.values().removeIf(p -> {
            boolean old = now - p.sentAt() > PENDING_MILLIS;
            if (old && p.contact().address() != null) {
                pendingAddresses.remove(p.contact().address());
            }
            return old;
        });
        if (links.isEmpty() && !bootstraps.isEmpty() && now >= nextBootstrap) {
            // Alone again: still a ring (of one) that others may join, and looking for the rest.
            contactBootstrap(now);
        }
        if (now >= nextStatus) {
            nextStatus = now + config.statusMillis();
            exchangeStatus(now);
        }
        if (connected && (now >= nextSelfLookup || (shortOfNeighbours() && now >= nextSelfLookup - config.selfLookupMillis() + 5000))) {
            lookUpSelf(now);
        }
        if (connected && now >= nextShortcuts) {
            nextShortcuts = now + config.shortcutMillis();
            maintainShortcuts();
        }
        scheduleTick(config.tickMillis());
    }

    private void contactBootstrap(long now) {
        nextBootstrap = now + 2000;
        InetSocketAddress endpoint = bootstraps.get(random.nextInt(bootstraps.size()));
        requestLink(new Contact(null, endpoint), RingMessage.KIND_LEAF, random.nextLong());
    }

    /** Status to near neighbours (with their place in our view), a ping to other quiet links, trimming. */
    private void exchangeStatus(long now) {
        Link[] cw = sortedLinks();
        int k = nearPerSide();
        List<Contact> near = nearContacts();
        List<Link> trim = new ArrayList<>();
        for (Link link : cw) {
            boolean needed = isNear(link, cw, k);
            if (needed) {
                send(link, new RingMessage.Status(self.address(), true, near));
            } else if (link.peerNeedsMe) {
                send(link, new RingMessage.Status(self.address(), false, near));
            } else if (now - link.lastSent >= config.pingMillis()) {
                link.pingNonce = random.nextLong();
                link.pingSent = now;
                send(link, new RingMessage.Ping(self.address(), link.pingNonce));
            }
            boolean shortcut = (link.kinds & RingMessage.KIND_SHORTCUT) != 0;
            // Trim as soon as both sides agree; a peer that never said gets three status periods.
            boolean peerDoesNotNeed = !link.peerNeedsMe && (link.peerDeclared || now - link.created > 3 * config.statusMillis());
            if (!needed && !shortcut && peerDoesNotNeed) {
                trim.add(link);
            }
        }
        for (Link link : trim) {
            send(link, new RingMessage.Close(self.address(), near));
            removeLink(link, "trimmed: neither side needs it");
            counters.linksTrimmed++;
        }
    }

    private boolean shortOfNeighbours() {
        return links.size() < 2 * nearPerSide();
    }

    private void lookUpSelf(long now) {
        boolean young = now - startedAt < 6 * config.selfLookupMillis() / 4;
        nextSelfLookup = now + (young ? config.selfLookupMillis() / 4 : config.selfLookupMillis());
        counters.selfLookups++;
        requestConnect(self.address(), RingMessage.MODE_NEAREST_OTHER, RingMessage.KIND_NEAR);
    }

    private void requestConnect(RingAddress target, int mode, int kind) {
        long token = random.nextLong();
        if (pendingConnects.size() > 64) {
            pendingConnects.clear();
        }
        pendingConnects.put(token, kind);
        byte[] payload = RingMessageCodec.encodeConnect(new RingMessageCodec.Connect(kind, token, self));
        RingMessage.Routed message = new RingMessage.Routed(self.address(), target, mode, config.maxTtl(), 0,
                RingMessage.FLAG_RELIABLE, random.nextLong(), RingMessage.PAYLOAD_CONNECT, payload);
        route(message, 0);
    }

    /**
     * Keeps {@code shortcuts} shortcuts of this node's own, drawn from the harmonic distribution
     * over [1/N, 1] of the ring (Symphony). A shortcut drawn when the ring looked much smaller is
     * drawn again.
     */
    private void maintainShortcuts() {
        double n = estimatedSize();
        int own = 0;
        for (Link link : new ArrayList<>(links.values())) {
            if (link.ownShortcut) {
                if (link.shortcutDrawnAtSize * 4 < n && (link.kinds & RingMessage.KIND_NEAR) == 0) {
                    // Drawn for a much smaller ring: let it go (trimmed unless it turns out near).
                    link.ownShortcut = false;
                    link.kinds = RingMessage.KIND_NEAR;
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
            RingAddress target = random.nextBoolean() ? self.address().plus(offset) : self.address().minus(offset);
            requestConnect(target, RingMessage.MODE_NEAREST, RingMessage.KIND_SHORTCUT);
        }
    }

    /**
     * A shortcut's length as a fraction of the ring, drawn from the harmonic distribution over
     * [1/n, 1] (Symphony: density proportional to 1/x) for a uniform {@code u} in [0, 1).
     */
    static double harmonicFraction(double n, double u) {
        return Math.exp(Math.log(n) * (u - 1.0));
    }

    private void send(Link link, RingMessage message) {
        link.lastSent = scheduler.nowMillis();
        sendTo(link.contact.endpoint(), message);
    }

    private void sendTo(InetSocketAddress endpoint, RingMessage message) {
        counters.sent++;
        transport.send(endpoint, message);
    }
}
