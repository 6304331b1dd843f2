package io.ringswitch.overlay.ring;

import java.net.InetSocketAddress;

/** Sends one ring message to one endpoint, best effort (UDP in a real node, an event in the simulator). */
public interface RingTransport {
    void send(InetSocketAddress to, RingMessage message);
}
