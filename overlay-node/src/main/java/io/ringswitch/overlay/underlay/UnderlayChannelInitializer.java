package io.ringswitch.overlay.underlay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.util.function.Consumer;

/**
 * The node's UDP pipeline, one job per handler: datagram to ring message (and rejects counted),
 * ring message to datagram, and the hand-over of what arrived to the ring node.
 */
public final class UnderlayChannelInitializer extends ChannelInitializer<Channel> {
    private final DatagramDecoder decoder;
    private final Consumer<InboundMessage> ring;

    public UnderlayChannelInitializer(DatagramDecoder decoder, Consumer<InboundMessage> ring) {
        this.decoder = decoder;
        this.ring = ring;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast("decoder", decoder).addLast("encoder", new RingMessageEncoder())
                .addLast("ring", new RingInboundHandler(ring));
    }
}
