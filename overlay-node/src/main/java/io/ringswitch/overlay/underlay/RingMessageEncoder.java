package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.util.List;

/**
 * Turns a ring message into one datagram for its path: envelope and message, in one direct buffer
 * with room in front and behind for the secure link layer to seal it in place. A UDP path gets a
 * {@code DatagramPacket}; a TCP or relay path a {@link PathDatagram}, which the secure layer and
 * the TCP links take on from there.
 */
public final class RingMessageEncoder extends MessageToMessageEncoder<OutboundMessage> {

    @Override
    protected void encode(ChannelHandlerContext ctx, OutboundMessage msg, List<Object> out) {
        int lead = WireFormat.RECORD_HEADER;
        ByteBuf buf = ctx.alloc().directBuffer(lead + WireFormat.HEADER_LENGTH + RingMessageCodec.sizeOf(msg.message())
                + WireFormat.RECORD_TAG);
        buf.writerIndex(lead + WireFormat.HEADER_LENGTH);
        RingMessageCodec.encode(msg.message(), buf);
        WireFormat.setHeader(buf, lead, WireFormat.TYPE_RING, buf.writerIndex() - lead - WireFormat.HEADER_LENGTH);
        buf.readerIndex(lead);
        out.add(msg.to() instanceof PeerPath.Udp udp ? new DatagramPacket(buf, udp.endpoint()) : new PathDatagram(buf, msg.to()));
    }
}
