package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.ring.RingAddress;

/**
 * What the layer asks of the ring for its end-to-end paths ({@link PeerPath.Routed}): to carry a
 * whole datagram (a handshake message or a sealed record) to a site as a routed message.
 * Called on the event loop.
 */
public interface RingCarrier {
    void carry(RingAddress site, byte[] datagram);
}
