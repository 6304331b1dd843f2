package io.ringswitch.overlay.ring.dht;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import org.junit.jupiter.api.Test;

/** A member asks one node for thousands of keys nobody holds at once: the reads of other holders stay bounded. */
class CoordinatorBoundsTest {

    @Test
    void readsOfOtherHoldersNeverPassTheBound() {
        FakeRingNetwork net = FakeRingNetwork.formed(20, 79, RingConfig.defaults());
        RingNode target = net.nodes.get(6);
        RingNode member = net.nodeAt(target.links().get(0).address());
        int pushed = Coordinator.MAX_READS + 1_000;
        for (int i = 0; i < pushed; i++) {
            byte[] get = DhtMessageCodec.encode(new DhtMessage.Request(9_000_000L + i, DhtMessage.Op.GET,
                    DhtKey.of("absent-" + i), new byte[0], 0));
            net.transmit(FakeRingNetwork.path(member), FakeRingNetwork.path(target), new RingMessage.Routed(member.address(),
                    target.address(), RoutingMode.EXACT, 20, 1, false, 9_000_000L + i, PayloadTypes.DHT, get));
        }
        net.run(6);
        long full = target.dht().counters().readsFull();
        assertTrue(full >= pushed - Coordinator.MAX_READS, full + " asked to retry");
    }
}
