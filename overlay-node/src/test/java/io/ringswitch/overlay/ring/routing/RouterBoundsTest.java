package io.ringswitch.overlay.ring.routing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import org.junit.jupiter.api.Test;

/** A member pushes reliable messages through a node faster than hop acks come back: what the node holds is bounded. */
class RouterBoundsTest {

    @Test
    void reliableMessagesAwaitingHopAcksNeverPassTheBound() {
        FakeRingNetwork net = FakeRingNetwork.formed(20, 71, RingConfig.defaults());
        RingNode relay = net.nodes.get(3);
        RingNode member = net.nodeAt(relay.links().get(0).address());
        // The far side of the ring from the relay: every message goes on through another link.
        RingAddress far = relay.address().plus(RingAddress.atFraction(0.5));
        net.lose = s -> s.message() instanceof RingMessage.HopAck;
        int pushed = Router.MAX_INFLIGHT + 2_000;
        for (int i = 0; i < pushed; i++) {
            net.transmit(FakeRingNetwork.path(member), FakeRingNetwork.path(relay), new RingMessage.Routed(member.address(),
                    far, RoutingMode.NEAREST, 20, 1, true, 1_000_000L + i, PayloadTypes.PROBE, new byte[4]));
        }
        net.run(50);
        long full = relay.counters().inflightFull();
        assertTrue(full >= pushed - Router.MAX_INFLIGHT, full + " passed on without being held");
    }
}
