package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;

/**
 * An Ethernet frame that arrived from a directly linked site over {@code from}; the receiver owns
 * (and releases) the buffer, which is a slice of the datagram it came in: no copy. {@code peer}
 * is the ring address the sender's certificate proved, {@code null} on plaintext links.
 */
public record InboundFrame(PeerPath from, ByteBuf frame, RingAddress peer) {
}
