package io.ringswitch.overlay.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingNodeTest {
    private static final RingConfig CONFIG = RingConfig.defaults();

    private static FakeRingNetwork formed(int n, long seed) {
        FakeRingNetwork net = new FakeRingNetwork(seed);
        net.ring(n, CONFIG, n * 50L + 60_000);
        return net;
    }

    @Test
    void aRingFormsFromOneBootstrapAndIsConsistent() {
        FakeRingNetwork net = formed(40, 1);
        Crawl.Result crawl = net.crawl();
        assertEquals(1.0, crawl.consistency(), "off: " + crawl.inconsistent());
        for (RingNode node : net.nodes) {
            assertTrue(node.isConnected());
            assertTrue(node.linkCount() <= CONFIG.maxLinks());
        }
    }

    @Test
    void everyNodeHoldsEachLinkOnceInClockwiseOrderThroughGrowthAndChurn() {
        FakeRingNetwork net = formed(60, 16);
        for (int i = 3; i < 60; i += 7) {
            net.nodes.get(i).stop(i % 2 == 0);
        }
        net.run(30_000);
        for (RingNode node : net.nodes) {
            if (!node.isRunning()) {
                continue;
            }
            List<RingNode.Link> links = node.links();
            assertEquals(links.size(), links.stream().map(l -> l.contact().address()).distinct().count(),
                    "a link listed twice at " + node.address().shortString());
            for (int i = 1; i < links.size(); i++) {
                RingAddress me = node.address();
                assertTrue(me.clockwiseTo(links.get(i - 1).contact().address())
                        .compareTo(me.clockwiseTo(links.get(i).contact().address())) < 0, "out of order");
            }
        }
    }

    @Test
    void exactRoutingDeliversAtTheDestinationAndNowhereElse() {
        FakeRingNetwork net = formed(40, 2);
        RingNode src = net.nodes.get(3);
        RingNode dst = net.nodes.get(29);
        src.send(dst.address(), RingMessage.MODE_EXACT, RingMessage.PAYLOAD_PROBE, new byte[] {1}, true);
        net.run(5_000);
        FakeRingNetwork.Inbox inbox = net.inboxes.get(dst);
        assertEquals(List.of(src.address()), inbox.sources);
        assertTrue(inbox.hops.get(0) >= 1 && inbox.hops.get(0) <= 6, "hops " + inbox.hops);
        long elsewhere = net.nodes.stream().filter(n -> n != dst).mapToLong(n -> net.inboxes.get(n).sources.size()).sum();
        assertEquals(0, elsewhere);
    }

    @Test
    void exactRoutingToAnAbsentAddressIsDroppedAndCounted() {
        FakeRingNetwork net = formed(30, 3);
        long before = net.nodes.stream().mapToLong(n -> n.counters().noRoute).sum();
        net.nodes.get(0).send(RingAddress.ofName("nobody"), RingMessage.MODE_EXACT, RingMessage.PAYLOAD_PROBE, new byte[0], false);
        net.run(5_000);
        assertEquals(before + 1, net.nodes.stream().mapToLong(n -> n.counters().noRoute).sum());
        assertEquals(0, net.nodes.stream().mapToLong(n -> net.inboxes.get(n).sources.size()).sum());
    }

    @Test
    void nearestRoutingDeliversAtTheClosestNode() {
        FakeRingNetwork net = formed(30, 4);
        RingAddress key = RingAddress.ofName("some key");
        RingNode closest = net.nodes.stream().min(Comparator.comparing(n -> n.address().distanceTo(key))).orElseThrow();
        net.nodes.get(7).send(key, RingMessage.MODE_NEAREST, RingMessage.PAYLOAD_PROBE, new byte[0], true);
        net.run(5_000);
        assertEquals(1, net.inboxes.get(closest).sources.size());
    }

    @Test
    void theNextHopIsTheLinkNearestTheDestination() {
        FakeRingNetwork net = formed(30, 5);
        RingNode src = net.nodes.get(0);
        RingAddress dst = RingAddress.ofName("target");
        int before = net.sent.size();
        src.send(dst, RingMessage.MODE_NEAREST, RingMessage.PAYLOAD_PROBE, new byte[0], false);
        FakeRingNetwork.Sent first = net.sent.get(before);
        RingNode.Link best = src.links().stream()
                .min(Comparator.comparing(l -> l.contact().address().distanceTo(dst))).orElseThrow();
        assertEquals(best.contact().endpoint(), first.to());
        assertEquals(CONFIG.maxTtl() - 1, ((RingMessage.Routed) first.message()).ttl());
    }

    @Test
    void aBroadcastReachesEveryNodeExactlyOnce() {
        FakeRingNetwork net = formed(40, 6);
        RingNode origin = net.nodes.get(11);
        origin.broadcast(RingMessage.PAYLOAD_PROBE, new byte[4]);
        net.run(5_000);
        for (RingNode node : net.nodes) {
            assertEquals(node == origin ? 0 : 1, net.inboxes.get(node).broadcasts, node.address().shortString());
        }
        assertEquals(0, net.nodes.stream().mapToLong(n -> n.counters().broadcastDuplicates).sum());
    }

    @Test
    void crashedNodesAreDetectedAndTheRingHeals() {
        FakeRingNetwork net = formed(40, 7);
        for (int i = 5; i < 40; i += 9) {
            net.nodes.get(i).stop(false);
        }
        net.run(CONFIG.deadAfterMillis() + 30_000);
        assertEquals(1.0, net.crawl().consistency(), "off: " + net.crawl().inconsistent());
    }

    @Test
    void hopLimitAbuseIsDroppedAndCounted() {
        FakeRingNetwork net = formed(20, 8);
        RingNode victim = net.nodes.get(4);
        RingNode.Link link = victim.links().get(0);
        net.transmit(link.contact().endpoint(), victim.self().endpoint(), new RingMessage.Routed(link.contact().address(),
                victim.address(), RingMessage.MODE_EXACT, 250, 0, 0, 1, RingMessage.PAYLOAD_PROBE, new byte[0]));
        net.run(100);
        assertEquals(1, victim.counters().hopLimitAbuse);
        assertTrue(net.inboxes.get(victim).sources.isEmpty());
    }

    @Test
    void anExpiredTtlIsDroppedBeforeTheNextHop() {
        FakeRingNetwork net = formed(30, 9);
        RingNode relay = net.nodes.get(2);
        RingNode.Link link = relay.links().get(0);
        RingAddress far = relay.address().plus(RingAddress.atFraction(0.5));
        long before = relay.counters().ttlExpired;
        net.transmit(link.contact().endpoint(), relay.self().endpoint(), new RingMessage.Routed(link.contact().address(),
                far, RingMessage.MODE_EXACT, 0, 5, 0, 2, RingMessage.PAYLOAD_PROBE, new byte[0]));
        net.run(100);
        assertEquals(before + 1, relay.counters().ttlExpired);
    }

    @Test
    void neighbourClaimsFromUnconnectedNodesAreIgnoredAndCounted() {
        FakeRingNetwork net = formed(20, 10);
        RingNode victim = net.nodes.get(6);
        InetSocketAddress stranger = FakeRingNetwork.endpoint(999);
        RingAddress liar = victim.address().plus(RingAddress.atFraction(1e-9));
        int before = net.sent.size();
        long strangersBefore = victim.counters().fromStranger;
        net.transmit(stranger, victim.self().endpoint(), new RingMessage.Status(liar, true,
                List.of(new Contact(liar, stranger))));
        net.transmit(stranger, victim.self().endpoint(), new RingMessage.Close(liar, List.of()));
        net.run(10);
        assertEquals(strangersBefore + 2, victim.counters().fromStranger);
        assertFalse(net.sent.subList(before, net.sent.size()).stream().anyMatch(s -> s.to().equals(stranger)),
                "no link request to the claimed neighbour");
        assertFalse(victim.rightNeighbours(2).stream().anyMatch(c -> c.address().equals(liar)));
    }

    @Test
    void aClaimFromALinkedEndpointUnderAnotherAddressIsAlsoIgnored() {
        FakeRingNetwork net = formed(20, 11);
        RingNode victim = net.nodes.get(3);
        RingNode.Link link = victim.links().get(0);
        long before = victim.counters().fromStranger;
        net.transmit(link.contact().endpoint(), victim.self().endpoint(),
                new RingMessage.Status(RingAddress.ofName("impostor"), true, List.of()));
        net.run(10);
        assertEquals(before + 1, victim.counters().fromStranger);
    }

    @Test
    void aNodeLeftAloneCanBeRejoinedByItsOldPeer() {
        FakeRingNetwork net = new FakeRingNetwork(14);
        RingNode first = net.add(CONFIG);
        RingNode second = net.add(CONFIG);
        first.start(List.of());
        second.start(List.of(first.self().endpoint()));
        net.run(10_000);
        assertEquals(1, second.rightNeighbours(1).size());
        first.stop(true);
        net.run(5_000);
        assertEquals(0, second.linkCount(), "the graceful stop closed the link");
        // The first node comes back (same address, same endpoint) and joins through the second,
        // which is alone but still a ring that may be joined.
        RingNode again = new RingNode(first.self(), CONFIG, net, (to, m) -> net.transmit(first.self().endpoint(), to, m),
                net.inboxes.get(first), new java.util.Random(1));
        net.replace(first, again);
        again.start(List.of(second.self().endpoint()));
        net.run(10_000);
        assertTrue(again.isConnected());
        assertEquals(List.of(again.self()), second.rightNeighbours(1));
    }

    @Test
    void aSuspectedHopIsUsedAgainAsSoonAsItSpeaks() {
        FakeRingNetwork net = formed(20, 15);
        RingNode src = net.nodes.get(0);
        RingNode.Link link = src.links().get(0);
        RingNode peer = net.nodes.stream().filter(n -> n.address().equals(link.contact().address())).findFirst().orElseThrow();
        net.drop(peer.self().endpoint(), true);
        src.send(peer.address(), RingMessage.MODE_EXACT, RingMessage.PAYLOAD_PROBE, new byte[0], true);
        net.run(500);
        assertTrue(src.counters().hopRetries > 0, "the silent hop was suspected");
        net.drop(peer.self().endpoint(), false);
        // Within the suspicion time, but after the peer's next status message.
        net.run(CONFIG.statusMillis() + 500);
        src.send(peer.address(), RingMessage.MODE_EXACT, RingMessage.PAYLOAD_PROBE, new byte[] {2}, false);
        net.run(500);
        assertEquals(1, net.inboxes.get(peer).sources.size(), "delivered once the peer spoke again");
    }

    @Test
    void shortcutLengthsFollowTheHarmonicDistribution() {
        double n = 10_000;
        int samples = 100_000;
        int belowSqrt = 0;
        int belowTenth = 0;
        java.util.Random random = new java.util.Random(12);
        for (int i = 0; i < samples; i++) {
            double x = RingNode.harmonicFraction(n, random.nextDouble());
            assertTrue(x >= 1 / n && x <= 1, "x=" + x);
            belowSqrt += x < 1 / Math.sqrt(n) ? 1 : 0;
            belowTenth += x < 0.1 ? 1 : 0;
        }
        // P(x < a) = 1 + ln(a)/ln(n): one half below 1/sqrt(n), three quarters below 1/10 for n = 10^4.
        assertEquals(0.5, belowSqrt / (double) samples, 0.01);
        assertEquals(0.75, belowTenth / (double) samples, 0.01);
    }

    @Test
    void theSameSeedFormsTheSameRing() {
        FakeRingNetwork a = formed(25, 13);
        FakeRingNetwork b = formed(25, 13);
        for (int i = 0; i < 25; i++) {
            assertEquals(a.nodes.get(i).rightNeighbours(3), b.nodes.get(i).rightNeighbours(3));
            assertEquals(a.nodes.get(i).linkCount(), b.nodes.get(i).linkCount());
        }
        assertEquals(a.sent.size(), b.sent.size());
    }
}
