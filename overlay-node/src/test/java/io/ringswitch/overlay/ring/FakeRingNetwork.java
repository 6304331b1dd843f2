package io.ringswitch.overlay.ring;

import io.ringswitch.overlay.ring.dht.DhtConfig;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A few dozen ring nodes on the simulator's {@link VirtualClock} with a fixed 5 ms one-way delay
 * (plus each node's {@link #slowness}): enough to test each part of the node without sockets.
 * Every message sent is also recorded.
 * <p>
 * It plays the wire layer's part of issue 10: a message sent on {@code Relay(R, B)} reaches B as
 * coming from {@code Relay(R, A)} if R has direct links to both and {@link RingNode#mayRelay}
 * agrees; a message on {@code Tcp(e)} opens a connection to the open node bound at {@code e}
 * (others refuse it), which arrives from {@code Tcp(the dialler's ephemeral public port)} and
 * carries the answers back to the dialler as from {@code Tcp(e)}.
 */
public final class FakeRingNetwork {
    /** A recorded message. */
    public record Sent(PeerPath from, PeerPath to, RingMessage message) {
    }

    /** What the probe protocol of one node received. */
    public static final class Inbox implements PayloadHandler {
        public final List<RingAddress> sources = new ArrayList<>();
        public final List<Integer> hops = new ArrayList<>();
        public int broadcasts;
        /** The origin of each broadcast delivered. */
        public final List<RingAddress> broadcastOrigins = new ArrayList<>();

        @Override
        public void delivered(RingMessage.Routed message) {
            sources.add(message.from());
            hops.add(message.hops());
        }

        @Override
        public void broadcastDelivered(RingAddress origin, byte[] payload) {
            broadcasts++;
            broadcastOrigins.add(origin);
        }
    }

    public final VirtualClock clock = new VirtualClock();
    private final Random random;
    public final List<RingNode> nodes = new ArrayList<>();
    public final Map<RingNode, Inbox> inboxes = new HashMap<>();
    private final Map<PeerPath, RingNode> byPath = new HashMap<>();
    public final List<Sent> sent = new ArrayList<>();
    private final Set<PeerPath> silenced = new HashSet<>();
    private final Set<List<PeerPath>> cut = new HashSet<>();
    /** The edges between nodes and the network (NATs, firewalls); {@code null}: every node is open. */
    public FakeNat nat;
    /**
     * Models the secure layer's roaming (issue 10, B3): a message from a linked peer that comes
     * from a new source tells the receiver the peer's path changed before the ring sees it, as an
     * authentic record from a new source does on real sockets.
     */
    public boolean roaming;
    /** Messages this matches are lost on every hop (a test takes one part of a protocol out). */
    public Predicate<Sent> lose = s -> false;
    /** Delay added to the 5 ms of messages this matches (a test makes two messages cross). */
    public ToLongFunction<RingMessage> extraDelay = m -> 0;
    /** The DHT tunables of nodes added from now on. */
    public DhtConfig dhtConfig = DhtConfig.defaults();
    /** One-way delay added to every message to or from a node (a node on a slow line). */
    public final Map<RingAddress, Long> slowness = new HashMap<>();
    /** Relayed messages each relay passed on. */
    public final Map<RingAddress, Integer> relayedBy = new HashMap<>();
    /** Relays that pass nothing on (over budget, or without their own link to the far end yet). */
    public final java.util.Set<RingAddress> refusingRelays = new java.util.HashSet<>();
    /** Whether the first node asked to relay refuses from then on. */
    public boolean firstRelayRefuses;
    /** Open TCP connections: (dialler's bound endpoint, endpoint it dialled) to the source the acceptor sees. */
    private final Map<List<InetSocketAddress>, InetSocketAddress> dialled = new HashMap<>();
    /** The same connections from the acceptor's side: (acceptor's bound endpoint, source it sees) to the dialler and what it dialled. */
    private final Map<List<InetSocketAddress>, List<InetSocketAddress>> accepted = new HashMap<>();

    public FakeRingNetwork(long seed) {
        this.random = new Random(seed);
    }

    public static InetSocketAddress endpoint(int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}), 5800);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PeerPath path(RingNode node) {
        return PeerPath.of(node.self());
    }

    public long now() {
        return clock.nowMillis();
    }

    public RingNode add(RingConfig config) {
        return add(new Contact(RingAddress.random(random), endpoint(nodes.size() + 1)), config);
    }

    /** A node at a given place (a restarted one, or one placed by a test). */
    public RingNode add(Contact self, RingConfig config) {
        PeerPath me = PeerPath.of(self);
        RingNode node = new RingNode(self, config, dhtConfig, clock, (to, message) -> transmit(me, to, message),
                new Random(random.nextLong()));
        Inbox inbox = new Inbox();
        node.register(PayloadTypes.PROBE, inbox);
        RingNode old = byPath.put(me, node);
        if (old != null) {
            nodes.set(nodes.indexOf(old), node);
            inboxes.remove(old);
        } else {
            nodes.add(node);
        }
        inboxes.put(node, inbox);
        return node;
    }

    private long slow(RingNode node) {
        return node == null ? 0 : slowness.getOrDefault(node.address(), 0L);
    }

    private RingNode byAddress(RingAddress address) {
        for (RingNode node : nodes) {
            if (node.address().equals(address)) {
                return node;
            }
        }
        return null;
    }

    public void transmit(PeerPath from, PeerPath to, RingMessage message) {
        Sent record = new Sent(from, to, message);
        sent.add(record);
        if (silenced.contains(to) || cut.contains(List.of(from, to)) || lose.test(record)) {
            return;
        }
        if (to instanceof PeerPath.Relay relay) {
            relay(from, relay, message);
            return;
        }
        if (to instanceof PeerPath.Tcp tcp) {
            tcp(from, tcp, message);
            return;
        }
        PeerPath seen = from;
        PeerPath at = to;
        if (nat != null && from instanceof PeerPath.Udp src && to instanceof PeerPath.Udp dst) {
            InetSocketAddress source = nat.outbound(src.endpoint(), dst.endpoint());
            InetSocketAddress reached = source == null ? null : nat.inbound(source, dst.endpoint());
            if (reached == null) {
                return;
            }
            seen = new PeerPath.Udp(source);
            at = new PeerPath.Udp(reached);
        }
        PeerPath seenFrom = seen;
        PeerPath reachedAt = at;
        RingNode sender = byPath.get(from);
        clock.schedule(5 + extraDelay.applyAsLong(message) + slow(sender) + slow(byPath.get(reachedAt)), () -> {
            RingNode dst = byPath.get(reachedAt);
            if (dst == null) {
                return;
            }
            if (roaming && sender != null && !(message instanceof RingMessage.LinkRequest)
                    && !(message instanceof RingMessage.LinkReply)) {
                dst.pathChanged(sender.address(), seenFrom);
            }
            dst.onMessage(seenFrom, message);
        });
    }

    /** The wire contract of a relay: R passes A's sealed message to B only while it has direct links to both and agrees. */
    private void relay(PeerPath from, PeerPath.Relay relay, RingMessage message) {
        RingNode sender = byPath.get(from);
        RingNode via = byAddress(relay.via());
        RingNode dst = byAddress(relay.peer());
        if (sender == null || via == null || dst == null || silenced.contains(path(via)) || silenced.contains(path(dst))
                || cut.contains(List.of(from, path(via))) || cut.contains(List.of(path(via), path(dst)))) {
            return;
        }
        long delay = 10 + extraDelay.applyAsLong(message) + slow(sender) + 2 * slow(via) + slow(dst);
        if (firstRelayRefuses && refusingRelays.isEmpty()) {
            refusingRelays.add(via.address());
        }
        if (refusingRelays.contains(via.address())) {
            return;
        }
        clock.schedule(delay, () -> {
            if (via.isRunning() && dst.isRunning() && via.mayRelay(sender.address(), dst.address())) {
                relayedBy.merge(via.address(), 1, Integer::sum);
                dst.onMessage(new PeerPath.Relay(via.address(), sender.address()), message);
            }
        });
    }

    /** TCP: over a connection open either way, or a new one to an open node; refused otherwise. */
    private void tcp(PeerPath from, PeerPath.Tcp to, RingMessage message) {
        RingNode sender = byPath.get(from);
        if (sender == null) {
            return;
        }
        InetSocketAddress me = sender.self().endpoint();
        List<InetSocketAddress> back = accepted.get(List.of(me, to.endpoint()));
        RingNode dst;
        PeerPath seen;
        if (back != null) {
            // An answer on a connection the peer opened: it sees it come from what it dialled.
            dst = byPath.get(new PeerPath.Udp(back.get(0)));
            seen = new PeerPath.Tcp(back.get(1));
        } else {
            dst = byPath.get(new PeerPath.Udp(to.endpoint()));
            if (dst == null || (nat != null && !nat.acceptsTcp(to.endpoint()))) {
                return;
            }
            InetSocketAddress source = dialled.computeIfAbsent(List.of(me, to.endpoint()),
                    k -> nat == null ? new InetSocketAddress(me.getAddress(), 40_000 + dialled.size()) : nat.tcpSource(me));
            accepted.put(List.of(to.endpoint(), source), List.of(me, to.endpoint()));
            seen = new PeerPath.Tcp(source);
        }
        if (dst == null || silenced.contains(path(dst))) {
            return;
        }
        RingNode receiver = dst;
        clock.schedule(5 + extraDelay.applyAsLong(message) + slow(sender) + slow(dst), () -> receiver.onMessage(seen, message));
    }

    /** While {@code silent}, everything sent to {@code node} is lost (the node is alive but unreachable). */
    public void drop(RingNode node, boolean silent) {
        if (silent) {
            silenced.add(path(node));
        } else {
            silenced.remove(path(node));
        }
    }

    /** While {@code cut}, everything between {@code a} and {@code b} is lost, both ways (both stay reachable to others). */
    public void cut(RingNode a, RingNode b, boolean cut) {
        for (List<PeerPath> pair : List.of(List.of(path(a), path(b)), List.of(path(b), path(a)))) {
            if (cut) {
                this.cut.add(pair);
            } else {
                this.cut.remove(pair);
            }
        }
    }

    /** Starts {@code n} nodes, each joining through the first, and runs until {@code settleMillis}. */
    public void ring(int n, RingConfig config, long settleMillis) {
        RingNode first = add(config);
        first.start(List.of());
        for (int i = 1; i < n; i++) {
            RingNode node = add(config);
            clock.schedule(i * 50L, () -> node.start(List.of(first.self().endpoint())));
        }
        run(settleMillis);
    }

    public static FakeRingNetwork formed(int n, long seed, RingConfig config) {
        FakeRingNetwork net = new FakeRingNetwork(seed);
        net.ring(n, config, n * 50L + 60_000);
        return net;
    }

    public void run(long millis) {
        clock.runUntil(clock.nowMillis() + millis);
    }

    public RingNode nodeAt(RingAddress address) {
        return nodes.stream().filter(n -> n.address().equals(address)).findFirst().orElseThrow();
    }

    public Crawl.Result crawl() {
        return Crawl.check(nodes.stream().filter(RingNode::isRunning).map(RingNode::view).toList());
    }
}
