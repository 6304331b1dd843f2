package io.ringswitch.overlay.ring.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, hole punching on the {@link FakeNat}: a CONNECT makes both sides send at once, so that
 * NATs and firewalls that let in only answers let each side's request in; a symmetric NAT links
 * only to open nodes and is reached over the ring otherwise.
 */
class HolePunchingTest {
    /** No shortcuts: the links a test looks at come from the CONNECTs it makes, not from random draws. */
    private static final RingConfig CONFIG = RingConfig.defaults().withShortcuts(0);

    /** Ten open nodes in a ring, and two nodes of the given kinds at opposite points of it (never near each other). */
    private static RingNode[] pair(FakeRingNetwork net, Kind a, Kind b) {
        net.nat = new FakeNat(net.clock);
        net.ring(10, CONFIG, 20_000);
        RingNode first = net.nodes.get(0);
        RingNode[] pair = new RingNode[2];
        Kind[] kinds = {a, b};
        for (int i = 0; i < 2; i++) {
            Contact self = new Contact(first.address().plus(RingAddress.atFraction(0.25 + 0.5 * i)),
                    FakeRingNetwork.endpoint(200 + i));
            net.nat.place(self.endpoint(), kinds[i]);
            pair[i] = net.add(self, CONFIG);
            pair[i].start(List.of(first.self().endpoint()));
        }
        // Long enough for the mappings of early attempts to time out: what follows starts from scratch.
        net.run(40_000);
        return pair;
    }

    /** Frames from {@code from} to {@code to} pass the on-demand threshold: a CONNECT to {@code to}'s exact address. */
    private static void traffic(FakeRingNetwork net, RingNode from, RingNode to) {
        for (int i = 0; i < 32; i++) {
            from.frameTo(to.address());
        }
        net.run(5_000);
    }

    private static Link linkTo(RingNode node, RingNode peer) {
        return node.links().stream().filter(l -> l.address().equals(peer.address())).findFirst().orElse(null);
    }

    private static void assertPunched(FakeRingNetwork net, RingNode a, RingNode b) {
        Link ab = linkTo(a, b);
        Link ba = linkTo(b, a);
        assertNotNull(ab, "a direct link " + a.address().shortString() + " -> " + b.address().shortString());
        assertNotNull(ba, "and back");
        assertEquals(new PeerPath.Udp(net.nat.publicEndpoint(b.self().endpoint())), ab.path(), "to b's public endpoint");
        assertEquals(new PeerPath.Udp(net.nat.publicEndpoint(a.self().endpoint())), ba.path(), "to a's public endpoint");
        assertTrue(ab.claimedBy(Claim.TRAFFIC), "the requester holds the claim");
        assertFalse(ba.claimedBy(Claim.TRAFFIC), "the answerer does not");
        assertEquals(Claim.TRAFFIC, ba.peerClaim(), "and knows the requester does");
    }

    @Test
    void portPreservingNatsOnBothSidesGetADirectLink() {
        FakeRingNetwork net = new FakeRingNetwork(41);
        RingNode[] p = pair(net, Kind.PORT_PRESERVING, Kind.PORT_PRESERVING);
        assertNull(linkTo(p[0], p[1]), "far apart, not linked yet");
        traffic(net, p[0], p[1]);
        assertPunched(net, p[0], p[1]);
        assertEquals("consistent", p[0].natMapping());
        assertEquals(List.of(net.nat.publicEndpoint(p[0].self().endpoint())), p[0].publicEndpoints());
    }

    @Test
    void withoutTheConnectReplyOnlyOneSideSendsAndNothingGetsThrough() {
        FakeRingNetwork net = new FakeRingNetwork(41);
        RingNode[] p = pair(net, Kind.PORT_PRESERVING, Kind.PORT_PRESERVING);
        assertTrue(p[0].isConnected() && p[1].isConnected() && net.crawl().consistency() == 1.0, "both joined");
        net.lose = s -> s.message() instanceof RingMessage.Routed r && r.payloadType() == PayloadTypes.CONNECT_REPLY;
        int dropped = net.nat.dropped;
        traffic(net, p[0], p[1]);
        assertNull(linkTo(p[0], p[1]), "the answerer's requests hit the requester's NAT");
        assertTrue(net.nat.dropped > dropped);
        FakeRingNetwork firewall = new FakeRingNetwork(42);
        RingNode[] q = pair(firewall, Kind.PORT_PRESERVING, Kind.FIREWALLED);
        firewall.lose = net.lose;
        traffic(firewall, q[0], q[1]);
        assertNull(linkTo(q[0], q[1]), "the firewall lets in only what answers its own requests");
    }

    @Test
    void aPortPreservingNatAndAFirewallPunchEitherWay() {
        FakeRingNetwork net = new FakeRingNetwork(42);
        RingNode[] p = pair(net, Kind.PORT_PRESERVING, Kind.FIREWALLED);
        traffic(net, p[0], p[1]);
        assertPunched(net, p[0], p[1]);
        FakeRingNetwork back = new FakeRingNetwork(43);
        RingNode[] q = pair(back, Kind.PORT_PRESERVING, Kind.FIREWALLED);
        traffic(back, q[1], q[0]);
        assertPunched(back, q[1], q[0]);
        assertEquals("none", q[1].natMapping(), "a firewall does not translate");
    }

    @Test
    void aRandomPortNatLinksToOpenNodes() {
        FakeRingNetwork net = new FakeRingNetwork(44);
        RingNode[] p = pair(net, Kind.RANDOM, Kind.OPEN);
        traffic(net, p[0], p[1]);
        assertNotNull(linkTo(p[0], p[1]), "the random side's own request gets through the open one");
        assertNotNull(linkTo(p[1], p[0]));
        FakeRingNetwork back = new FakeRingNetwork(45);
        RingNode[] q = pair(back, Kind.RANDOM, Kind.OPEN);
        traffic(back, q[1], q[0]);
        assertNotNull(linkTo(q[1], q[0]), "the open side's CONNECT is answered by the random side's request");
        assertTrue(linkTo(q[1], q[0]).claimedBy(Claim.TRAFFIC));
        assertEquals("varies", q[0].natMapping(), "every peer sees another port");
        assertEquals(1.0, back.crawl().consistency(), "a random NAT among open nodes keeps the ring whole");
    }

    @Test
    void aRandomPortNatAndAPortPreservingOneGetNoDirectLinkButARelayedOne() {
        FakeRingNetwork net = new FakeRingNetwork(46);
        RingNode[] p = pair(net, Kind.RANDOM, Kind.PORT_PRESERVING);
        traffic(net, p[0], p[1]);
        Link ab = linkTo(p[0], p[1]);
        Link ba = linkTo(p[1], p[0]);
        assertNotNull(ab, "a symmetric NAT's mapping for the peer is on a port nobody told it: relayed (RelaysTest)");
        assertNotNull(ba);
        assertEquals("relay", ab.path().kind());
        assertEquals("relay", ba.path().kind());
        int before = net.inboxes.get(p[1]).sources.size();
        p[0].send(p[1].address(), RoutingMode.EXACT, PayloadTypes.PROBE, new byte[8], true);
        p[1].send(p[0].address(), RoutingMode.EXACT, PayloadTypes.PROBE, new byte[8], true);
        net.run(1_000);
        assertEquals(before + 1, net.inboxes.get(p[1]).sources.size());
        assertEquals(p[1].address(), net.inboxes.get(p[0]).sources.get(net.inboxes.get(p[0]).sources.size() - 1));
    }
}
