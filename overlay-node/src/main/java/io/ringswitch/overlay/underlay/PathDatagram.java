package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.ringswitch.overlay.ring.PeerPath;

/**
 * A datagram (envelope and payload) with the path it came over or is for, where that path is not
 * a plain UDP endpoint: a frame of a TCP connection ({@link PeerPath.Tcp}) or a datagram carried
 * through a relay ({@link PeerPath.Relay}). UDP keeps Netty's {@code DatagramPacket}. Inbound, the
 * holder's owner releases the buffer; outbound, whoever sends it does.
 */
public class PathDatagram extends DefaultByteBufHolder {
    private final PeerPath path;

    public PathDatagram(ByteBuf content, PeerPath path) {
        super(content);
        this.path = path;
    }

    /** Where the datagram came from (inbound) or goes (outbound). */
    public PeerPath path() {
        return path;
    }

    @Override
    public PathDatagram replace(ByteBuf content) {
        return new PathDatagram(content, path);
    }

    @Override
    public String toString() {
        return "PathDatagram(" + path + ", " + content().readableBytes() + " B)";
    }
}
