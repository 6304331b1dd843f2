package io.ringswitch.overlay.underlay;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands each decoded message to the ring node, on the channel's event loop (the node's thread). */
public final class RingInboundHandler extends SimpleChannelInboundHandler<InboundMessage> {
    private static final Logger log = LoggerFactory.getLogger(RingInboundHandler.class);

    private final Consumer<InboundMessage> ring;

    public RingInboundHandler(Consumer<InboundMessage> ring) {
        this.ring = ring;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, InboundMessage msg) {
        ring.accept(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("UDP link error: {}", cause.toString());
    }
}
