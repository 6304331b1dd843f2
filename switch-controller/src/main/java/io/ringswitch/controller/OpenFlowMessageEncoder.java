package io.ringswitch.controller;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.projectfloodlight.openflow.protocol.OFMessage;

/** Writes {@link OFMessage}s to the channel in their wire form. */
@ChannelHandler.Sharable
final class OpenFlowMessageEncoder extends MessageToByteEncoder<OFMessage> {

    OpenFlowMessageEncoder() {
        super(OFMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OFMessage msg, ByteBuf out) {
        msg.writeTo(out);
    }
}
