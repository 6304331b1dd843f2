package io.ringswitch.overlay.underlay;

import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.message.RingMessage;

/** A ring message to send along a path. */
public record OutboundMessage(PeerPath to, RingMessage message) {
}
