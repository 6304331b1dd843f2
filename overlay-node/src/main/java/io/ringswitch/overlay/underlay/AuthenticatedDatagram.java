package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;

/**
 * A datagram the secure link layer opened: its content is a clear envelope (type 1 or 2) and
 * payload, rewritten in place in the record's buffer, and {@code peer} is the ring address that
 * the sender's certificate proved in the handshake. Its path is the one the peer's session is on
 * (a UDP endpoint, a TCP connection or a relay), whatever path the session was made on: behind a
 * NAT that is the mapping the peer has towards this node, the path its link should use.
 */
public final class AuthenticatedDatagram extends PathDatagram {
    private final RingAddress peer;

    public AuthenticatedDatagram(ByteBuf content, PeerPath path, RingAddress peer) {
        super(content, path);
        this.peer = peer;
    }

    public RingAddress peer() {
        return peer;
    }
}
