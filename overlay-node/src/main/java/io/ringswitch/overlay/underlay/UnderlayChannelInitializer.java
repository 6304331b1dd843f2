package io.ringswitch.overlay.underlay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/**
 * The node's UDP pipeline, one job per handler: datagram to ring message (and rejects counted),
 * ring message to datagram, and the hand-over of what arrived to the ring node or the frame path.
 */
public final class UnderlayChannelInitializer extends ChannelInitializer<Channel> {
    private final DatagramDecoder decoder;
    private final RingInboundHandler.Receiver receiver;

    public UnderlayChannelInitializer(DatagramDecoder decoder, RingInboundHandler.Receiver receiver) {
        this.decoder = decoder;
        this.receiver = receiver;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast("decoder", decoder).addLast("encoder", new RingMessageEncoder())
                .addLast("ring", new RingInboundHandler(receiver));
    }
}
