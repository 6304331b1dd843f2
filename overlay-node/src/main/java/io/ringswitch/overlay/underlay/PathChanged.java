package io.ringswitch.overlay.underlay;

import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;

/**
 * A pipeline event: authentic records of {@code peer} now come over {@code path} (its NAT mapped
 * it anew, or it moved), so its link should move there. The secure link layer fires it, before
 * the record that showed the new path; {@link RingInboundHandler} hands it to the ring.
 */
public record PathChanged(RingAddress peer, PeerPath path) {
}
