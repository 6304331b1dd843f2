package io.ringswitch.overlay.ring.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.node.RingNode;
import org.junit.jupiter.api.Test;

/** A member floods broadcasts, or hands on a range it was never given: cut at the first hop, counted. */
class BroadcastFloodTest {

    private static long from(FakeRingNetwork net, RingNode node, RingAddress origin) {
        return net.inboxes.get(node).broadcastOrigins.stream().filter(origin::equals).count();
    }

    @Test
    void aMemberFloodingBroadcastsIsCutAtTheFirstHopAndOthersStillPass() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 23, RingConfig.defaults());
        RingNode flooder = net.nodes.get(7);
        RingNode honest = net.nodes.get(19);
        int flood = 2_000;
        // 2,000 broadcasts in one second of the flooder's.
        for (int i = 0; i < flood; i++) {
            flooder.broadcast(PayloadTypes.PROBE, new byte[4]);
            if (i % 20 == 0) {
                net.run(10);
            }
        }
        honest.broadcast(PayloadTypes.PROBE, new byte[4]);
        net.run(2_000);
        long allowed = BroadcastBudget.BURST + BroadcastBudget.PER_SECOND * 3;
        long cut = 0;
        for (RingNode node : net.nodes) {
            if (node != flooder) {
                assertTrue(from(net, node, flooder.address()) <= allowed,
                        node.address().shortString() + " delivered " + from(net, node, flooder.address()));
            }
            if (node != honest) {
                assertEquals(1, from(net, node, honest.address()), "the honest broadcast reached " + node.address().shortString());
            }
            cut += node.counters().broadcastsOverBudget();
        }
        for (Link first : flooder.links()) {
            RingNode hop = net.nodeAt(first.address());
            assertTrue(hop.counters().broadcastsOverBudget() > 0, "the first hop " + hop.address().shortString() + " cut it");
        }
        assertTrue(cut >= flood - allowed, cut + " cut");
    }

    @Test
    void aRangeThatReachesPastItsSenderIsRefused() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 29, RingConfig.defaults());
        RingNode liar = net.nodes.get(4);
        Link link = liar.links().get(0);
        RingNode victim = net.nodeAt(link.address());
        long before = net.nodes.stream().mapToLong(n -> n.counters().broadcastsDelivered()).sum();
        // The whole ring, handed to one link: only an origin may cover it, and only by its links together.
        net.transmit(FakeRingNetwork.path(liar), FakeRingNetwork.path(victim),
                new RingMessage.Broadcast(liar.address(), 42, victim.address(), 8, PayloadTypes.PROBE, new byte[4]));
        net.run(2_000);
        long delivered = net.nodes.stream().mapToLong(n -> n.counters().broadcastsDelivered()).sum() - before;
        assertEquals(0, delivered, "nobody delivered a broadcast whose range was forged");
        assertEquals(1, victim.counters().broadcastRangeRefused());
    }
}
