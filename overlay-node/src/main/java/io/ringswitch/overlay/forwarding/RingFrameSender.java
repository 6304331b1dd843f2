package io.ringswitch.overlay.forwarding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.ringswitch.overlay.offload.TcpSegmenter;
import io.ringswitch.overlay.offload.VirtioNetHeader;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.underlay.UdpTransport;
import io.ringswitch.overlay.underlay.WireFormat;

/**
 * The ring as the frame forwarder uses it: a frame for a site with a link of its own leaves over
 * that link's path in its own buffer, UDP, TCP or relay alike (a super-frame as segments, in one
 * GSO send over UDP); frames for sites further away go through the ring's routing, and
 * broadcasts over the ring's broadcast. With the secure layer, a frame routed to a site is
 * sealed end to end first: it goes to the site's {@link PeerPath.Routed} path, whose session the
 * two sites make over the ring, so the nodes on the route carry only ciphertext; on plaintext
 * links it rides a routed {@code FRAME} message as it is.
 */
public final class RingFrameSender implements FrameForwarder.Ring {
    private final RingNode ring;
    private final UdpTransport transport;
    private final ByteBufAllocator alloc;
    private final boolean endToEnd;

    /** {@code endToEnd}: frames routed to a site go sealed under the two sites' own session (secure links). */
    public RingFrameSender(RingNode ring, UdpTransport transport, ByteBufAllocator alloc, boolean endToEnd) {
        this.ring = ring;
        this.transport = transport;
        this.alloc = alloc;
        this.endToEnd = endToEnd;
    }

    @Override
    public boolean sendDirect(RingAddress site, ByteBuf frame) {
        PeerPath path = ring.framePath(site);
        if (path != null) {
            ring.frameTo(site);
            ring.link(site).countOut(frame.readableBytes(), 1);
            transport.sendFrame(path, frame);
            return true;
        }
        return false;
    }

    @Override
    public boolean sendSegments(RingAddress site, ByteBuf superFrame, VirtioNetHeader vnet) {
        PeerPath path = ring.framePath(site);
        if (path == null) {
            return false;
        }
        int segments = superFrame.readableBytes() / Math.max(1, vnet.gsoSize()) + 1;
        ByteBuf out = alloc.directBuffer(superFrame.readableBytes()
                + segments * (vnet.hdrLen() + WireFormat.HEADROOM + WireFormat.TAILROOM));
        int size = TcpSegmenter.segment(superFrame, vnet, transport.segmentLead(), transport.segmentTail(), out);
        if (size < 0) {
            out.release();
            return false;
        }
        int bytes = superFrame.readableBytes();
        superFrame.release();
        ring.frameTo(site);
        ring.link(site).countOut(bytes, (out.readableBytes() + size - 1) / size);
        transport.sendSegments(path, out, size);
        return true;
    }

    @Override
    public void unicast(RingAddress site, byte[] frame) {
        ring.frameTo(site);
        if (endToEnd) {
            ByteBuf buf = alloc.directBuffer(WireFormat.HEADROOM + frame.length + WireFormat.TAILROOM);
            buf.writerIndex(WireFormat.HEADROOM).readerIndex(WireFormat.HEADROOM).writeBytes(frame);
            transport.sendFrame(new PeerPath.Routed(site), buf);
        } else {
            ring.send(site, RoutingMode.EXACT, PayloadTypes.FRAME, frame, false);
        }
    }

    @Override
    public void broadcast(byte[] frame) {
        ring.broadcast(PayloadTypes.FRAME, frame);
    }
}
