package io.ringswitch.overlay.ring.maintenance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.FakeNat;
import io.ringswitch.overlay.ring.FakeNat.Kind;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.RingConfig.RelayChoice;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtResult;
import io.ringswitch.overlay.ring.dht.DhtStatus;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, two-hop relays and TCP on the {@link FakeNat}: pairs that no punch can link are
 * relayed through a common neighbour (or a neighbour of the peer linked to first), by latency or
 * link age; they go direct once a direct path works; a node that gets no UDP through joins and
 * takes full part over TCP and relays.
 */
class RelaysTest {
    private static final RingConfig CONFIG = RingConfig.defaults().withShortcuts(0);

    private static Link linkTo(RingNode node, RingNode peer) {
        return node.links().stream().filter(l -> l.address().equals(peer.address())).findFirst().orElse(null);
    }

    /** Ten open nodes, then a node of each kind at {@code fractions} of the ring from the first. */
    private static RingNode[] placed(FakeRingNetwork net, RingConfig config, Kind[] kinds, double[] fractions) {
        net.nat = new FakeNat(net.clock);
        net.ring(10, config, 20_000);
        RingNode first = net.nodes.get(0);
        RingNode[] out = new RingNode[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            Contact self = new Contact(first.address().plus(RingAddress.atFraction(fractions[i])),
                    FakeRingNetwork.endpoint(200 + i));
            net.nat.place(self.endpoint(), kinds[i]);
            out[i] = net.add(self, config);
            out[i].start(List.of(first.self().endpoint()));
        }
        net.run(40_000);
        return out;
    }

    /** Frames from {@code from} to {@code to}, enough for an on-demand link, for {@code millis}. */
    private static void traffic(FakeRingNetwork net, RingNode from, RingNode to, long millis) {
        for (long t = 0; t < millis; t += 5_000) {
            for (int i = 0; i < 32; i++) {
                from.frameTo(to.address());
            }
            net.run(5_000);
        }
    }

    private static void assertMessagesPass(FakeRingNetwork net, RingNode a, RingNode b) {
        for (RingNode[] pair : new RingNode[][] {{a, b}, {b, a}}) {
            FakeRingNetwork.Inbox inbox = net.inboxes.get(pair[1]);
            int before = inbox.sources.size();
            pair[0].send(pair[1].address(), RoutingMode.EXACT, PayloadTypes.PROBE, new byte[8], true);
            net.run(1_000);
            assertEquals(before + 1, inbox.sources.size(), "delivered");
            assertEquals(pair[0].address(), inbox.sources.get(before));
            assertEquals(1, inbox.hops.get(before), "over the relayed link, one ring hop");
        }
    }

    /** The relay of a link over one, after checking that both ends agree on it and claim their links to it. */
    private static RingNode assertRelayed(FakeRingNetwork net, RingNode a, RingNode b) {
        Link ab = linkTo(a, b);
        Link ba = linkTo(b, a);
        assertNotNull(ab, "a link " + a.address().shortString() + " -> " + b.address().shortString());
        assertNotNull(ba, "and back");
        assertEquals("relay", ab.path().kind());
        PeerPath.Relay there = assertInstanceOf(PeerPath.Relay.class, ab.path());
        PeerPath.Relay back = assertInstanceOf(PeerPath.Relay.class, ba.path());
        assertEquals(there.via(), back.via(), "one relay");
        assertEquals(b.address(), there.peer());
        assertEquals(a.address(), back.peer());
        RingNode relay = net.nodeAt(there.via());
        assertTrue(linkTo(a, relay).claimedBy(Claim.RELAY), "a holds its link to the relay");
        assertTrue(linkTo(b, relay).claimedBy(Claim.RELAY), "so does b");
        assertFalse(linkTo(a, relay).path() instanceof PeerPath.Relay, "relays do not chain");
        assertTrue(net.relayedBy.getOrDefault(relay.address(), 0) > 0);
        return relay;
    }

    @Test
    void aRandomPortNatAndAPortPreservingOneNextToEachOtherAreRelayedThroughACommonNeighbour() {
        FakeRingNetwork net = new FakeRingNetwork(61);
        RingNode[] p = placed(net, CONFIG, new Kind[] {Kind.RANDOM, Kind.PORT_PRESERVING}, new double[] {0.25, 0.2501});
        RingNode relay = assertRelayed(net, p[0], p[1]);
        Set<RingAddress> near = p[1].nearContacts().stream().map(Contact::address).collect(Collectors.toSet());
        assertTrue(near.contains(relay.address()) && linkTo(p[0], relay) != null, "a common neighbour");
        assertTrue(p[0].counters().relayedLinks() + p[1].counters().relayedLinks() >= 1);
        assertMessagesPass(net, p[0], p[1]);
        assertEquals(1.0, net.crawl().consistency(), () -> "off: " + net.crawl().inconsistent());
    }

    @Test
    void aRelayThatPassesNothingOnIsPassedOverForTheNextCandidate() {
        FakeRingNetwork net = new FakeRingNetwork(61);
        net.firstRelayRefuses = true;
        RingNode[] p = placed(net, CONFIG, new Kind[] {Kind.RANDOM, Kind.PORT_PRESERVING}, new double[] {0.25, 0.2501});
        assertEquals(1, net.refusingRelays.size(), "the first relay asked refused");
        RingNode relay = assertRelayed(net, p[0], p[1]);
        assertFalse(net.refusingRelays.contains(relay.address()), "the pair went on to another relay");
        assertMessagesPass(net, p[0], p[1]);
    }

    @Test
    void whenTheRelayDiesTheLinksThroughItGoAndThePairIsRelayedAgainThroughAnother() {
        FakeRingNetwork net = new FakeRingNetwork(61);
        RingNode[] p = placed(net, CONFIG, new Kind[] {Kind.RANDOM, Kind.PORT_PRESERVING}, new double[] {0.25, 0.2501});
        RingNode relay = assertRelayed(net, p[0], p[1]);
        relay.stop(false);
        net.run(15_000);
        Link ab = linkTo(p[0], p[1]);
        assertTrue(ab == null || !(ab.path() instanceof PeerPath.Relay r) || !r.via().equals(relay.address()),
                "no link through the dead relay");
        net.run(30_000);
        RingNode second = assertRelayed(net, p[0], p[1]);
        assertNotEquals(relay.address(), second.address());
        assertMessagesPass(net, p[0], p[1]);
    }

    @Test
    void withoutACommonNeighbourTheRequesterFirstLinksToANeighbourOfThePeer() {
        FakeRingNetwork net = new FakeRingNetwork(62);
        RingNode[] p = placed(net, CONFIG, new Kind[] {Kind.RANDOM, Kind.PORT_PRESERVING}, new double[] {0.25, 0.75});
        Set<RingAddress> theirs = p[1].nearContacts().stream().map(Contact::address).collect(Collectors.toSet());
        assertTrue(p[0].links().stream().noneMatch(l -> theirs.contains(l.address())), "no common neighbour yet");
        traffic(net, p[0], p[1], 10_000);
        RingNode relay = assertRelayed(net, p[0], p[1]);
        assertTrue(theirs.contains(relay.address()), "one of the peer's neighbours");
        assertEquals(1, p[0].counters().relayedLinks());
        assertMessagesPass(net, p[0], p[1]);
    }

    /**
     * Issue 18: frames both ways (a ping and its replies) make both ends of a pair without a
     * common neighbour ask at once, each through a neighbour of the other, so their first relays
     * always differ. Each end then sent over its own relay and the other end took frames only
     * from its own, so the pair was "relayed" and passed no frame. Both ends must end on one relay.
     */
    @Test
    void whenBothEndsOfAPairWithoutACommonNeighbourAskAtOnceTheyEndOnOneRelay() {
        for (long seed : new long[] {62, 68, 70, 72, 74}) {
            FakeRingNetwork net = new FakeRingNetwork(seed);
            RingNode[] p = placed(net, CONFIG, new Kind[] {Kind.RANDOM, Kind.PORT_PRESERVING}, new double[] {0.25, 0.75});
            Set<RingAddress> theirs = p[1].nearContacts().stream().map(Contact::address).collect(Collectors.toSet());
            assertTrue(p[0].links().stream().noneMatch(l -> theirs.contains(l.address())), "no common neighbour yet");
            pingBothWays(net, p[0], p[1], 15_000);
            assertTrue(p[0].counters().relayedLinks() >= 1 && p[1].counters().relayedLinks() >= 1,
                    "seed " + seed + ": both ends asked for a relay of their own");
            RingNode relay = assertRelayed(net, p[0], p[1]);
            assertMessagesPass(net, p[0], p[1]);
            pingBothWays(net, p[0], p[1], 60_000);
            assertEquals(relay.address(), assertRelayed(net, p[0], p[1]).address(), "seed " + seed + ": the pair stays on it");
        }
    }

    /** A frame each way every 250 ms for {@code millis}, as a ping and its replies. */
    private static void pingBothWays(FakeRingNetwork net, RingNode a, RingNode b, long millis) {
        for (long t = 0; t < millis; t += 250) {
            a.frameTo(b.address());
            b.frameTo(a.address());
            net.run(250);
        }
    }

    /**
     * Two open nodes next to each other, linked, each one's oldest link slow; then their direct
     * path is cut (and there is no TCP): the link dies, and they relay. Returns whether the relay
     * chosen is a slow node.
     */
    private static boolean chosenIsSlow(RelayChoice choice) {
        FakeRingNetwork net = new FakeRingNetwork(63);
        RingConfig config = CONFIG.withNat(choice, false);
        RingNode[] p = placed(net, config, new Kind[] {Kind.OPEN, Kind.OPEN}, new double[] {0.25, 0.2501});
        RingNode a = p[0];
        RingNode b = p[1];
        assertEquals("udp", linkTo(a, b).path().kind(), "linked directly first");
        for (RingNode node : p) {
            Link oldest = node.links().stream().filter(l -> l.routable() && !l.address().equals((node == a ? b : a).address()))
                    .min(Comparator.comparingLong(Link::created)).orElseThrow();
            net.slowness.put(oldest.address(), 40L);
        }
        net.run(20_000);
        long before = a.counters().relayedLinks();
        net.cut(a, b, true);
        net.run(40_000);
        RingNode relay = assertRelayed(net, a, b);
        RingNode chooser = a.counters().relayedLinks() > before ? a : b;
        RingNode other = chooser == a ? b : a;
        Set<RingAddress> theirs = other.nearContacts().stream().map(Contact::address).collect(Collectors.toSet());
        List<Link> candidates = chooser.links().stream()
                .filter(l -> theirs.contains(l.address()) && !(l.path() instanceof PeerPath.Relay)).toList();
        assertTrue(candidates.size() >= 2, "a choice to make: " + candidates.size());
        if (choice == RelayChoice.STABILITY) {
            assertEquals(candidates.stream().min(Comparator.comparingLong(Link::created)).orElseThrow().address(),
                    relay.address(), "the oldest link");
        } else {
            long rtt = linkTo(chooser, relay).rttMillis();
            assertTrue(candidates.stream().allMatch(l -> l.rttMillis() < 0 || l.rttMillis() >= rtt),
                    "the lowest round trip");
        }
        return net.slowness.containsKey(relay.address());
    }

    @Test
    void stabilityPicksTheOldestLinkAndLatencyTheFastest() {
        assertTrue(chosenIsSlow(RelayChoice.STABILITY), "the oldest link, slow as it is");
        assertFalse(chosenIsSlow(RelayChoice.LATENCY), "a fast one");
    }

    @Test
    void whenTheBlockIsLiftedThePairGoesDirectAndLetsGoOfItsRelay() {
        FakeRingNetwork net = new FakeRingNetwork(64);
        net.roaming = true;
        RingNode[] p = placed(net, CONFIG, new Kind[] {Kind.RANDOM, Kind.PORT_PRESERVING}, new double[] {0.25, 0.75});
        traffic(net, p[0], p[1], 10_000);
        RingNode relay = assertRelayed(net, p[0], p[1]);
        net.nat.place(p[0].self().endpoint(), Kind.PORT_PRESERVING);
        traffic(net, p[0], p[1], 60_000);
        Link ab = linkTo(p[0], p[1]);
        assertNotNull(ab);
        assertEquals("udp", ab.path().kind(), "direct now");
        assertEquals("udp", linkTo(p[1], p[0]).path().kind());
        assertTrue(p[0].counters().relayedToDirect() + p[1].counters().relayedToDirect() >= 1);
        net.run(5_000);
        Link ar = linkTo(p[0], relay);
        Link br = linkTo(p[1], relay);
        assertTrue(ar == null || !ar.claimedBy(Claim.RELAY), "a let go of its relay");
        assertTrue(br == null || !br.claimedBy(Claim.RELAY), "so did b");
        assertMessagesPass(net, p[0], p[1]);
    }

    /** CONNECTs {@code from} sent towards {@code to}'s exact address so far (first hops only). */
    private static long connectsTo(FakeRingNetwork net, RingNode from, RingNode to) {
        PeerPath own = FakeRingNetwork.path(from);
        return net.sent.stream().filter(s -> s.from().equals(own) && s.message() instanceof RingMessage.Routed r
                && r.payloadType() == PayloadTypes.CONNECT && r.from().equals(from.address())
                && r.dst().equals(to.address()) && r.hops() == 1).count();
    }

    @Test
    void aDirectPathThatDiesSoonAfterReplacingARelayIsTriedAgainOnlyAfterTwiceTheWait() {
        FakeRingNetwork net = new FakeRingNetwork(64);
        net.roaming = true;
        RingNode[] p = placed(net, CONFIG, new Kind[] {Kind.RANDOM, Kind.PORT_PRESERVING}, new double[] {0.25, 0.75});
        traffic(net, p[0], p[1], 10_000);
        assertRelayed(net, p[0], p[1]);
        net.nat.place(p[0].self().endpoint(), Kind.PORT_PRESERVING);
        for (int i = 0; i < 14 && !"udp".equals(linkTo(p[0], p[1]).path().kind()); i++) {
            traffic(net, p[0], p[1], 5_000);
        }
        assertEquals("udp", linkTo(p[0], p[1]).path().kind(), "direct");
        net.nat.place(p[0].self().endpoint(), Kind.RANDOM);
        for (int i = 0; i < 10 && !(linkTo(p[0], p[1]) != null && "relay".equals(linkTo(p[0], p[1]).path().kind())); i++) {
            traffic(net, p[0], p[1], 5_000);
        }
        assertRelayed(net, p[0], p[1]);
        long before = connectsTo(net, p[0], p[1]);
        traffic(net, p[0], p[1], 45_000);
        assertEquals(before, connectsTo(net, p[0], p[1]), "no direct try within 45 s of a flap");
        traffic(net, p[0], p[1], 25_000);
        assertTrue(connectsTo(net, p[0], p[1]) > before, "one after 60 s");
        assertEquals("relay", linkTo(p[0], p[1]).path().kind(), "still relayed: the block is back");
    }

    private static DhtResult await(FakeRingNetwork net, CompletableFuture<DhtResult> future) {
        for (int i = 0; i < 600 && !future.isDone(); i++) {
            net.run(100);
        }
        assertTrue(future.isDone(), "no answer within a minute");
        return future.getNow(null);
    }

    @Test
    void aNodeThatGetsNoUdpThroughJoinsOverTcpAndTakesFullPart() {
        FakeRingNetwork net = new FakeRingNetwork(65);
        RingNode[] p = placed(net, CONFIG, new Kind[] {Kind.PORT_PRESERVING, Kind.PORT_PRESERVING, Kind.UDP_BLOCKED},
                new double[] {0.5, 0.5003, 0.5001});
        net.run(30_000);
        RingNode blocked = p[2];
        assertTrue(blocked.isConnected(), "joined");
        assertTrue(blocked.tcpOnly(), "knows it is TCP-only");
        assertTrue(blocked.counters().tcpFallbacks() > 0);
        assertTrue(blocked.nearContacts().size() >= 4, "has its near neighbours: " + blocked.nearContacts());
        for (Link link : blocked.links()) {
            Kind kind = net.nat.kind(net.nodeAt(link.address()).self().endpoint());
            assertEquals(kind == Kind.OPEN ? "tcp" : "relay", link.path().kind(), kind + " peer");
        }
        assertTrue(blocked.links().stream().anyMatch(l -> l.path().kind().equals("relay")), "the NATed neighbours over relays");
        assertEquals(1.0, net.crawl().consistency(), () -> "off: " + net.crawl().inconsistent());
        RingNode far = net.nodes.get(3);
        assertMessagesPassRouted(net, blocked, far);
        byte[] value = "tcp-only".getBytes(StandardCharsets.UTF_8);
        DhtKey key = DhtKey.of("ip/10.9.0.1");
        assertEquals(DhtStatus.OK, await(net, blocked.dht().put(key, value, 600_000)).status());
        assertArrayEquals(value, await(net, far.dht().get(key)).first());
        DhtKey other = DhtKey.of("ip/10.9.0.2");
        assertEquals(DhtStatus.OK, await(net, far.dht().put(other, value, 600_000)).status());
        assertArrayEquals(value, await(net, blocked.dht().get(other)).first());
    }

    private static void assertMessagesPassRouted(FakeRingNetwork net, RingNode a, RingNode b) {
        for (RingNode[] pair : new RingNode[][] {{a, b}, {b, a}}) {
            FakeRingNetwork.Inbox inbox = net.inboxes.get(pair[1]);
            int before = inbox.sources.size();
            pair[0].send(pair[1].address(), RoutingMode.EXACT, PayloadTypes.PROBE, new byte[8], true);
            net.run(1_000);
            assertEquals(before + 1, inbox.sources.size(), "routed");
        }
    }
}
