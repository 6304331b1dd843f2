package io.ringswitch.overlay.ring.routing;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.RingMessage;

/**
 * A protocol on the ring (the CONNECT of joins and shortcuts, frames, the DHT, later relays and
 * sessions): it registers for its payload type and receives what arrives for this node.
 */
public interface PayloadHandler {

    /** A routed message that ends at this node. */
    void delivered(RingMessage.Routed message);

    /** A broadcast, once per broadcast; default: ignored. */
    default void broadcastDelivered(RingAddress origin, byte[] payload) {
    }
}
