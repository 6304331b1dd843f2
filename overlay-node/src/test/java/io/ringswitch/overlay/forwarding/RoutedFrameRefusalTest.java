package io.ringswitch.overlay.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * On a secure node, a member routes a plain FRAME message naming another site as its source (the
 * way every routed frame travelled before frames were sealed end to end): it never reaches the
 * frame path, and is counted. Broadcast frames still pass.
 */
class RoutedFrameRefusalTest {

    @Test
    void aRoutedFrameInAnotherSitesNameIsRefusedAndBroadcastsPass() {
        List<RingAddress> toPort = new ArrayList<>();
        PayloadHandler forwarder = new PayloadHandler() {
            @Override
            public void delivered(RingMessage.Routed message) {
                toPort.add(message.from());
            }

            @Override
            public void broadcastDelivered(RingAddress origin, byte[] payload) {
                toPort.add(origin);
            }
        };
        RingCounters counters = new RingCounters();
        RoutedFrameRefusal frames = new RoutedFrameRefusal(forwarder, counters);
        Random random = new Random(18);
        RingAddress victim = RingAddress.random(random);
        RingAddress me = RingAddress.random(random);
        frames.delivered(new RingMessage.Routed(victim, me, RoutingMode.EXACT, 10, 2, false, 1, PayloadTypes.FRAME,
                new byte[60]));
        assertEquals(List.of(), toPort, "the forged frame did not reach the frame path");
        assertEquals(1, counters.unsealedFrames());
        frames.broadcastDelivered(victim, new byte[60]);
        assertEquals(List.of(victim), toPort);
    }
}
