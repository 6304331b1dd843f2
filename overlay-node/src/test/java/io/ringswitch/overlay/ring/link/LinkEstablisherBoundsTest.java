package io.ringswitch.overlay.ring.link;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.ConnectCodec;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A member routes CONNECTs, each from another made-up requester, that name an endpoint the
 * answerer has confirmed (its own link's): every one passes the probe limiter, and yet the
 * requests awaiting a reply stay bounded.
 */
class LinkEstablisherBoundsTest {

    @Test
    void requestsAwaitingRepliesNeverPassTheBound() {
        FakeRingNetwork net = FakeRingNetwork.formed(20, 73, RingConfig.defaults());
        RingNode answerer = net.nodes.get(5);
        RingNode member = net.nodeAt(answerer.links().get(0).address());
        InetSocketAddress confirmed = ((io.ringswitch.overlay.ring.PeerPath.Udp) answerer.links().get(1).path()).endpoint();
        int pushed = LinkEstablisher.MAX_PENDING + 1_000;
        for (int i = 0; i < pushed; i++) {
            RingAddress liar = RingAddress.ofName("liar" + i);
            byte[] connect = ConnectCodec.encodeConnect(new ConnectCodec.Connect(Claim.TRAFFIC, 5_000_000L + i, liar, null,
                    List.of(confirmed)));
            net.transmit(FakeRingNetwork.path(member), FakeRingNetwork.path(answerer),
                    new RingMessage.Routed(liar, answerer.address(), RoutingMode.EXACT, 60, 1, false, 5_000_000L + i,
                            PayloadTypes.CONNECT, connect));
        }
        net.run(50);
        long full = answerer.counters().pendingFull();
        assertTrue(answerer.pendingLinks() <= LinkEstablisher.MAX_PENDING, answerer.pendingLinks() + " pending");
        assertTrue(full >= pushed - LinkEstablisher.MAX_PENDING, full + " requests not sent");
    }
}
