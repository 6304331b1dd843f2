package io.ringswitch.overlay.ring.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.node.RingNode;
import org.junit.jupiter.api.Test;

class BroadcasterTest {

    @Test
    void aBroadcastReachesEveryNodeExactlyOnce() {
        FakeRingNetwork net = FakeRingNetwork.formed(40, 6, RingConfig.defaults());
        RingNode origin = net.nodes.get(11);
        origin.broadcast(PayloadTypes.PROBE, new byte[4]);
        net.run(5_000);
        for (RingNode node : net.nodes) {
            assertEquals(node == origin ? 0 : 1, net.inboxes.get(node).broadcasts, node.address().shortString());
        }
        assertEquals(0, net.nodes.stream().mapToLong(n -> n.counters().broadcastDuplicates()).sum());
    }

    @Test
    void aBroadcastWithoutShortcutsStillReachesEveryNodeOnce() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 19, RingConfig.defaults().withShortcuts(0));
        RingNode origin = net.nodes.get(3);
        origin.broadcast(PayloadTypes.PROBE, new byte[4]);
        net.run(5_000);
        for (RingNode node : net.nodes) {
            assertEquals(node == origin ? 0 : 1, net.inboxes.get(node).broadcasts, node.address().shortString());
        }
    }
}
