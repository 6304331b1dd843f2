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

    /**
     * Whether a broadcast whose origin's proof held may be delivered here and passed on: a
     * protocol whose payload carries its own proof (a revocation, signed by the group's CA) stops
     * a forgery at the first honest hop. Default: yes.
     */
    default boolean passesOn(RingAddress origin, byte[] payload) {
        return true;
    }

    /** A broadcast, once per broadcast; default: ignored. */
    default void broadcastDelivered(RingAddress origin, byte[] payload) {
    }
}
