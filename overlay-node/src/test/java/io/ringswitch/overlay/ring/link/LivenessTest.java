package io.ringswitch.overlay.ring.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.node.RingNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keepalives: one side pings, the other answers (and measures the round trip now and then), and a silent near neighbour goes within 10 s. */
class LivenessTest {
    private static final RingConfig CONFIG = RingConfig.defaults();

    @Test
    void aDeadNearNeighbourIsDroppedWithinTenSeconds() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 21, CONFIG);
        RingNode node = net.nodes.get(4);
        RingNode right = net.nodeAt(node.rightNeighbours(1).get(0).address());
        long crashedAt = net.now();
        right.stop(false);
        long gone = -1;
        while (net.now() - crashedAt < 15_000) {
            net.run(100);
            if (node.links().stream().noneMatch(l -> l.address().equals(right.address()))) {
                gone = net.now() - crashedAt;
                break;
            }
        }
        assertTrue(gone > 0 && gone <= 10_000, "dropped after " + gone + " ms");
    }

    @Test
    void theLowerAddressKeepsTheLinkAliveAndTheOtherPingsOnlyToMeasureTheRoundTrip() {
        FakeRingNetwork net = FakeRingNetwork.formed(20, 22, CONFIG);
        net.run(5_000);
        int before = net.sent.size();
        net.run(30_000);
        List<FakeRingNetwork.Sent> window = net.sent.subList(before, net.sent.size());
        Map<String, Integer> fromHigher = new HashMap<>();
        long lower = 0;
        for (FakeRingNetwork.Sent s : window) {
            if (s.message() instanceof RingMessage.Ping ping) {
                RingNode to = net.nodes.stream().filter(n -> FakeRingNetwork.path(n).equals(s.to())).findFirst().orElseThrow();
                if (ping.from().compareTo(to.address()) > 0) {
                    fromHigher.merge(ping.from() + ">" + to.address(), 1, Integer::sum);
                } else {
                    lower++;
                }
            }
        }
        assertTrue(fromHigher.values().stream().allMatch(n -> n <= 1),
                "the higher address pings a link at most once in 30 s: " + fromHigher);
        assertTrue(lower > 5L * fromHigher.size(), lower + " keepalive pings from the lower addresses, "
                + fromHigher.size() + " links measured from the higher end");
        long pings = window.stream().filter(s -> s.message() instanceof RingMessage.Ping).count();
        long pongs = window.stream().filter(s -> s.message() instanceof RingMessage.Pong).count();
        assertEquals(pings, pongs, "every ping is answered");
    }

    @Test
    void pongsMeasureTheRoundTripAtBothEnds() {
        FakeRingNetwork net = FakeRingNetwork.formed(10, 23, CONFIG);
        net.run(5_000);
        for (RingNode node : net.nodes) {
            for (Link link : node.links()) {
                assertEquals(10, link.rttMillis(), "two 5 ms hops, measured by a ping from either end");
            }
        }
    }

    @Test
    void aQuietRingSendsLittle() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 24, CONFIG);
        net.run(60_000);
        int before = net.sent.size();
        net.run(60_000);
        double perNodePerSecond = (net.sent.size() - before) / 30.0 / 60.0;
        // Liveness and views of a settled ring: about one small message per link per few seconds.
        assertTrue(perNodePerSecond < 4, perNodePerSecond + " messages per node per second");
        assertFalse(net.sent.subList(before, net.sent.size()).stream()
                .anyMatch(s -> s.message() instanceof RingMessage.LinkRequest
                        && ((RingMessage.LinkRequest) s.message()).claim() == io.ringswitch.overlay.ring.message.Claim.JOIN),
                "nobody rejoins a settled ring");
    }
}
