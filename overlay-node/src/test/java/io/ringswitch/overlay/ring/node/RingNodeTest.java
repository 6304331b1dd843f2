package io.ringswitch.overlay.ring.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node as a whole: the ring forms, heals, and is the same for the same seed. */
class RingNodeTest {
    private static final RingConfig CONFIG = RingConfig.defaults();

    @Test
    void aRingFormsFromOneBootstrapAndIsConsistent() {
        FakeRingNetwork net = FakeRingNetwork.formed(40, 1, CONFIG);
        Crawl.Result crawl = net.crawl();
        assertEquals(1.0, crawl.consistency(), "off: " + crawl.inconsistent());
        for (RingNode node : net.nodes) {
            assertTrue(node.isConnected());
            assertTrue(node.linkCount() <= CONFIG.maxLinks());
        }
    }

    @Test
    void everyNodeHoldsEachLinkOnceInClockwiseOrderThroughGrowthAndChurn() {
        FakeRingNetwork net = FakeRingNetwork.formed(60, 16, CONFIG);
        for (int i = 3; i < 60; i += 7) {
            net.nodes.get(i).stop(i % 2 == 0);
        }
        net.run(30_000);
        for (RingNode node : net.nodes) {
            if (!node.isRunning()) {
                continue;
            }
            List<Link> links = node.links();
            assertEquals(links.size(), links.stream().map(Link::address).distinct().count(),
                    "a link listed twice at " + node.address().shortString());
            for (int i = 1; i < links.size(); i++) {
                RingAddress me = node.address();
                assertTrue(me.clockwiseTo(links.get(i - 1).address()).compareTo(me.clockwiseTo(links.get(i).address())) < 0,
                        "out of order");
            }
        }
    }

    @Test
    void crashedNodesAreDetectedAndTheRingHeals() {
        FakeRingNetwork net = FakeRingNetwork.formed(40, 7, CONFIG);
        for (int i = 5; i < 40; i += 9) {
            net.nodes.get(i).stop(false);
        }
        net.run(CONFIG.deadAfterMillis() + 30_000);
        assertEquals(1.0, net.crawl().consistency(), "off: " + net.crawl().inconsistent());
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
        RingNode again = net.add(first.self(), CONFIG);
        again.start(List.of(second.self().endpoint()));
        net.run(10_000);
        assertTrue(again.isConnected());
        assertEquals(List.of(again.self()), second.rightNeighbours(1));
    }

    @Test
    void theSameSeedFormsTheSameRing() {
        FakeRingNetwork a = FakeRingNetwork.formed(25, 13, CONFIG);
        FakeRingNetwork b = FakeRingNetwork.formed(25, 13, CONFIG);
        for (int i = 0; i < 25; i++) {
            assertEquals(a.nodes.get(i).rightNeighbours(3), b.nodes.get(i).rightNeighbours(3));
            assertEquals(a.nodes.get(i).linkCount(), b.nodes.get(i).linkCount());
        }
        assertEquals(a.sent.size(), b.sent.size());
    }

    /**
     * Issue 19: private overlay members start as rings of one (they know nobody) and are told
     * each other's endpoints later; they link, and a third told late joins them.
     */
    @Test
    void ringsOfOneJoinThroughEndpointsAddedAfterTheyStarted() {
        FakeRingNetwork net = new FakeRingNetwork(19);
        RingNode a = net.add(CONFIG);
        RingNode b = net.add(CONFIG);
        a.start(List.of());
        b.start(List.of());
        net.run(10_000);
        assertEquals(0, a.linkCount(), "nobody told them of each other yet");

        a.addBootstraps(List.of(b.self().endpoint()));
        b.addBootstraps(List.of(a.self().endpoint(), b.self().endpoint()));
        net.run(10_000);
        RingNode c = net.add(CONFIG);
        c.start(List.of());
        c.addBootstraps(List.of(a.self().endpoint()));
        net.run(30_000);

        assertEquals(List.of(b.self().endpoint()), a.bootstraps());
        assertEquals(List.of(a.self().endpoint()), b.bootstraps(), "its own endpoint is left out");
        assertEquals(1.0, net.crawl().consistency(), "off: " + net.crawl().inconsistent());
        assertEquals(3, net.crawl().nodes());
        assertEquals(2, c.linkCount());
        List<java.net.InetSocketAddress> many = java.util.stream.IntStream.range(100, 170).mapToObj(FakeRingNetwork::endpoint).toList();
        a.addBootstraps(many);
        assertEquals(many.subList(6, 70), a.bootstraps(), "at most 64 kept, the newest");
    }
}
