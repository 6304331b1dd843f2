package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.message.RingMessage;

/** Sends one ring message along one path, best effort (UDP in a real node, an event in the simulator). */
public interface RingTransport {
    void send(PeerPath path, RingMessage message);
}
