package io.ringswitch.overlay.underlay;

import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.message.RingMessage;

/** A ring message that arrived from the underlay, with the path it came over. */
public record InboundMessage(PeerPath from, RingMessage message) {
}
