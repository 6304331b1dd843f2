package io.ringswitch.overlay.ring.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.FakeNat;
import io.ringswitch.overlay.ring.FakeNat.Kind;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.ConnectCodec;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 10 on a whole ring: NATs of several kinds, mappings that change, requests that cross. */
class NatRingTest {
    private static final RingConfig CONFIG = RingConfig.defaults();

    private static Link linkTo(RingNode node, RingAddress peer) {
        return node.links().stream().filter(l -> l.address().equals(peer)).findFirst().orElse(null);
    }

    /** A ring of {@code n} nodes whose edges are drawn from {@code kinds} (the first node, the bootstrap, is open). */
    private static FakeRingNetwork mixed(long seed, int n, Kind... kinds) {
        FakeRingNetwork net = new FakeRingNetwork(seed);
        net.nat = new FakeNat(net.clock);
        Random random = new Random(seed);
        RingNode first = net.add(CONFIG);
        first.start(List.of());
        for (int i = 1; i < n; i++) {
            RingNode node = net.add(CONFIG);
            net.nat.place(node.self().endpoint(), kinds[random.nextInt(kinds.length)]);
            net.clock.schedule(i * 200L, () -> node.start(List.of(first.self().endpoint())));
        }
        net.run(n * 200L + 90_000);
        return net;
    }

    @Test
    void aRingOfOpenNodesPortPreservingNatsAndFirewallsIsConsistentAndItsNeighboursLinkDirectly() {
        FakeRingNetwork net = mixed(51, 30, Kind.OPEN, Kind.PORT_PRESERVING, Kind.FIREWALLED);
        assertEquals(1.0, net.crawl().consistency(), () -> "off: " + net.crawl().inconsistent());
        Map<String, Integer> mappings = new HashMap<>();
        for (RingNode node : net.nodes) {
            Kind kind = net.nat.kind(node.self().endpoint());
            assertEquals(List.of(net.nat.publicEndpoint(node.self().endpoint())), node.publicEndpoints(),
                    kind + " node " + node.address().shortString());
            assertEquals(kind == Kind.PORT_PRESERVING ? "consistent" : "none", node.natMapping(), kind.toString());
            mappings.merge(node.natMapping(), 1, Integer::sum);
            for (Contact near : node.nearContacts()) {
                Link link = linkTo(node, near.address());
                assertEquals(new PeerPath.Udp(net.nat.publicEndpoint(net.nodeAt(near.address()).self().endpoint())),
                        link.path(), "a near link goes to the peer's public endpoint");
            }
        }
        assertTrue(mappings.get("consistent") >= 5 && mappings.get("none") >= 10, mappings.toString());
    }

    @Test
    void aNearCandidateBehindANatThatNeverAsksIsReachedByAFallbackConnect() {
        RingConfig config = CONFIG.withShortcuts(0);
        FakeRingNetwork net = new FakeRingNetwork(56);
        net.nat = new FakeNat(net.clock);
        net.ring(10, config, 20_000);
        RingNode first = net.nodes.get(0);
        RingNode[] p = new RingNode[2];
        Contact self = new Contact(first.address().plus(RingAddress.atFraction(0.5)), FakeRingNetwork.endpoint(300));
        net.nat.place(self.endpoint(), Kind.PORT_PRESERVING);
        p[0] = net.add(self, config);
        p[0].start(List.of(first.self().endpoint()));
        net.run(20_000);
        // The newcomer sits just past the neighbour's nearest open neighbour: near, but not the nearest.
        RingAddress past = p[0].rightNeighbours(1).get(0).address();
        Contact newcomerSelf = new Contact(past.plus(RingAddress.atFraction(1e-6)), FakeRingNetwork.endpoint(301));
        net.nat.place(newcomerSelf.endpoint(), Kind.PORT_PRESERVING);
        p[1] = net.add(newcomerSelf, config);
        // The newcomer's own requests to its NATted neighbour are lost, and so are those answering a
        // self-lookup: only those answering a CONNECT to an exact address (its first hop carries
        // hops 1) get through. The neighbour's direct requests hit the newcomer's NAT, so the link
        // comes only from the neighbour's fallback when they go unanswered.
        InetSocketAddress newcomer = net.nat.publicEndpoint(p[1].self().endpoint());
        InetSocketAddress neighbour = net.nat.publicEndpoint(p[0].self().endpoint());
        Set<Long> exactTokens = new HashSet<>();
        net.lose = s -> {
            if (s.message() instanceof RingMessage.Routed r && r.mode() == RoutingMode.EXACT
                    && r.payloadType() == PayloadTypes.CONNECT && r.hops() == 1) {
                try {
                    exactTokens.add(ConnectCodec.decodeConnect(r.payload()).token());
                } catch (RingMessageCodec.MalformedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return s.message() instanceof RingMessage.LinkRequest r && s.to().equals(new PeerPath.Udp(neighbour))
                    && r.from().equals(p[1].address()) && !exactTokens.contains(r.nonce());
        };
        p[1].start(List.of(first.self().endpoint()));
        net.run(40_000);
        assertEquals(new PeerPath.Udp(newcomer), linkTo(p[0], p[1].address()).path(), "punched");
        assertTrue(p[0].counters().connectFallbacks() > 0, "the neighbour fell back to a routed CONNECT");
        assertEquals(1.0, net.crawl().consistency(), () -> "off: " + net.crawl().inconsistent());
    }

    @Test
    void aRandomNatJoinsARingOfOpenNodes() {
        // Among open nodes only: a random NAT next to a NAT or a firewall on the ring cannot link with
        // it, and neither can two random NATs (that takes a relay, issue 10 B6).
        FakeRingNetwork net = mixed(52, 16, Kind.OPEN);
        RingNode random = net.add(CONFIG);
        net.nat.place(random.self().endpoint(), Kind.RANDOM);
        random.start(List.of(net.nodes.get(0).self().endpoint()));
        net.run(60_000);
        assertEquals(1.0, net.crawl().consistency(), () -> "off: " + net.crawl().inconsistent());
        assertEquals("varies", random.natMapping());
        assertEquals(List.of(), random.publicEndpoints(), "no two peers agree on one");
    }

    @Test
    void aNodeWhoseNatPortChangesKeepsItsLinks() {
        rebindKeepsLinks(true);
    }

    /** Without the secure layer's roaming, the punch that a silent link starts moves it. */
    @Test
    void aNodeWhoseNatPortChangesKeepsItsLinksWithoutRoaming() {
        rebindKeepsLinks(false);
    }

    private static void rebindKeepsLinks(boolean roaming) {
        FakeRingNetwork net = mixed(53, 16, Kind.OPEN, Kind.OPEN, Kind.PORT_PRESERVING);
        net.roaming = roaming;
        RingNode natted = net.nodes.stream().filter(n -> net.nat.kind(n.self().endpoint()) == Kind.PORT_PRESERVING)
                .findFirst().orElseThrow();
        InetSocketAddress before = net.nat.publicEndpoint(natted.self().endpoint());
        List<RingAddress> peers = natted.links().stream().map(Link::address).toList();
        Map<RingNode, Link> back = new HashMap<>();
        for (RingAddress a : peers) {
            back.put(net.nodeAt(a), linkTo(net.nodeAt(a), natted.address()));
        }
        long ownDown = natted.counters().linksDown();
        net.nat.rebind(natted.self().endpoint());
        InetSocketAddress after = net.nat.publicEndpoint(natted.self().endpoint());
        assertNotEquals(before, after);
        net.run(30_000);
        assertEquals(ownDown, natted.counters().linksDown(), "no link went down");
        for (RingAddress a : peers) {
            RingNode peer = net.nodeAt(a);
            Link now = linkTo(peer, natted.address());
            assertEquals(back.get(peer), now, "the peer kept its link");
            assertEquals(new PeerPath.Udp(after), now.path(), "the peer's link follows the new port");
            assertEquals(after, now.contact().endpoint(), "and passes the new endpoint on");
        }
        assertEquals(List.of(after), natted.publicEndpoints(), "peers report the new endpoint");
        assertEquals(1.0, net.crawl().consistency());
    }

    @Test
    void aLinkRequestFromANewPathOfALinkedPeerMovesTheLink() {
        FakeRingNetwork net = FakeRingNetwork.formed(12, 54, CONFIG);
        RingNode node = net.nodes.get(3);
        Link link = node.links().get(0);
        RingAddress peer = link.address();
        long down = node.counters().linksDown();
        PeerPath moved = new PeerPath.Udp(new InetSocketAddress(FakeRingNetwork.endpoint(500).getAddress(), 41000));
        net.transmit(moved, FakeRingNetwork.path(node), new RingMessage.LinkRequest(peer, Claim.NEAR, 99, List.of()));
        net.run(10);
        assertEquals(moved, linkTo(node, peer).path());
        assertEquals(link, linkTo(node, peer), "the same link, with its claims");
        assertEquals(down, node.counters().linksDown());
        assertEquals(1, node.counters().linksRepathed());
        assertTrue(net.sent.get(net.sent.size() - 1).message() instanceof RingMessage.LinkReply reply
                && reply.seen().equals(((PeerPath.Udp) moved).endpoint()), "answered there, saying where it came from");
    }

    @Test
    void requestsThatCrossMakeOneLinkAndTheRequesterHoldsTheClaim() {
        FakeRingNetwork net = FakeRingNetwork.formed(16, 55, CONFIG.withShortcuts(0));
        RingNode a = net.nodes.get(2);
        RingNode b = net.nodes.stream().filter(n -> n != a && linkTo(a, n.address()) == null).findFirst().orElseThrow();
        // The answerer's request is slow: the CONNECT_REPLY comes first and the requester's own request crosses it.
        net.extraDelay = m -> m instanceof RingMessage.LinkRequest r && r.claim() == Claim.TRAFFIC ? 200 : 0;
        long upA = a.counters().linksUp();
        long upB = b.counters().linksUp();
        for (int i = 0; i < 32; i++) {
            a.frameTo(b.address());
        }
        net.run(3_000);
        long requests = net.sent.stream().filter(s -> s.message() instanceof RingMessage.LinkRequest r
                && r.claim() == Claim.TRAFFIC).count();
        assertEquals(2, requests, "each side sent one");
        assertEquals(upA + 1, a.counters().linksUp());
        assertEquals(upB + 1, b.counters().linksUp());
        assertTrue(linkTo(a, b.address()).claimedBy(Claim.TRAFFIC));
        assertEquals(Claim.TRAFFIC, linkTo(b, a.address()).peerClaim());
        assertTrue(!linkTo(b, a.address()).claimedBy(Claim.TRAFFIC));
    }
}
