package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import io.ringswitch.overlay.ring.RingAddress;
import java.net.InetSocketAddress;

/**
 * A datagram the secure link layer opened: its content is a clear envelope (type 1 or 2) and
 * payload, rewritten in place in the record's buffer, and {@code peer} is the ring address that
 * the sender's certificate proved in the handshake. Its sender is the UDP source the record came
 * from, whatever endpoint the session was made with: behind a NAT that is the mapping the peer
 * has towards this node, the path its link should use.
 */
public final class AuthenticatedDatagram extends DatagramPacket {
    private final RingAddress peer;

    public AuthenticatedDatagram(ByteBuf content, InetSocketAddress sender, RingAddress peer) {
        super(content, null, sender);
        this.peer = peer;
    }

    public RingAddress peer() {
        return peer;
    }
}
