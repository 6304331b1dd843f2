package io.ringswitch.overlay.ring;

/** What a ring node hands up to its application (the frame forwarder, or the simulator's probes). */
public interface RingListener {

    /** A routed message for this node. */
    void delivered(RingAddress source, int payloadType, byte[] payload, int hops);

    /** A broadcast, once per broadcast. */
    void broadcastDelivered(RingAddress origin, int payloadType, byte[] payload);

    /** A routed message that ends here without reaching its destination; default: nothing. */
    default void undeliverable(RingMessage.Routed message) {
    }

    /** Called when the node's links change; default: nothing. */
    default void linksChanged() {
    }
}
