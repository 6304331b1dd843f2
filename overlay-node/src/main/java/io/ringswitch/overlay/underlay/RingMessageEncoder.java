package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.util.List;

/**
 * Turns a ring message for a UDP path into one datagram: envelope and message, in one direct
 * buffer with room in front and behind for the secure link layer to seal it in place.
 */
public final class RingMessageEncoder extends MessageToMessageEncoder<OutboundMessage> {

    @Override
    protected void encode(ChannelHandlerContext ctx, OutboundMessage msg, List<Object> out) {
        PeerPath.Udp path = (PeerPath.Udp) msg.to();
        int lead = WireFormat.RECORD_HEADER;
        ByteBuf buf = ctx.alloc().directBuffer(lead + WireFormat.HEADER_LENGTH + RingMessageCodec.sizeOf(msg.message())
                + WireFormat.RECORD_TAG);
        buf.writerIndex(lead + WireFormat.HEADER_LENGTH);
        RingMessageCodec.encode(msg.message(), buf);
        WireFormat.setHeader(buf, lead, WireFormat.TYPE_RING, buf.writerIndex() - lead - WireFormat.HEADER_LENGTH);
        out.add(new DatagramPacket(buf.readerIndex(lead), path.endpoint()));
    }
}
