package io.ringswitch.controller;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the OpenFlow channel alive (OpenFlow 1.3.5 §6.3.2): answers the switch's ECHO_REQUEST,
 * sends one of its own whenever the channel has been silent for an interval (signalled by an
 * {@code IdleStateHandler} in front), and closes the channel after three silent intervals.
 */
final class EchoKeepaliveHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(EchoKeepaliveHandler.class);
    static final int MAX_MISSED = 3;

    private int missed;
    private long nextXid = 0x10000;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        missed = 0;
        if (msg instanceof OFEchoRequest request) {
            ctx.writeAndFlush(OpenFlowHandshakeHandler.OF13.buildEchoReply()
                    .setXid(request.getXid()).setData(request.getData()).build());
        } else if (!(msg instanceof OFEchoReply)) {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (++missed >= MAX_MISSED) {
                log.warn("closing {}: no answer to {} ECHO requests", ctx.channel().remoteAddress(), MAX_MISSED - 1);
                ctx.close();
            } else {
                ctx.writeAndFlush(OpenFlowHandshakeHandler.OF13.buildEchoRequest().setXid(nextXid++).build());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
