package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.ringswitch.overlay.ring.PeerPath;

/**
 * An Ethernet frame that arrived from a directly linked site over {@code from}; the receiver owns
 * (and releases) the buffer, which is a slice of the datagram it came in: no copy.
 */
public record InboundFrame(PeerPath from, ByteBuf frame) {
}
