package io.ringswitch.overlay.forwarding;

import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code FRAME} payload on a node with secure links: broadcast frames go on to the forwarder,
 * but a frame routed to this node as a plain {@code FRAME} message is refused, counted and logged.
 * Its {@code from} is a claim nobody proved, and any node on its route could have read or
 * rewritten it; such frames come sealed end to end instead ({@code PayloadTypes.SEALED}).
 */
public final class RoutedFrameRefusal implements PayloadHandler {
    private static final Logger log = LoggerFactory.getLogger(RoutedFrameRefusal.class);
    private final PayloadHandler frames;
    private final RingCounters counters;

    public RoutedFrameRefusal(PayloadHandler frames, RingCounters counters) {
        this.frames = frames;
        this.counters = counters;
    }

    @Override
    public void delivered(RingMessage.Routed message) {
        if (Long.bitCount(Metrics.incremented(counters.unsealedFrames)) == 1) {
            log.warn("refused a routed frame that claims to come from {}: frames between sites travel sealed "
                    + "end to end ({} so far)", message.from().shortString(), counters.unsealedFrames());
        }
    }

    @Override
    public void broadcastDelivered(RingAddress origin, byte[] payload) {
        frames.broadcastDelivered(origin, payload);
    }
}
