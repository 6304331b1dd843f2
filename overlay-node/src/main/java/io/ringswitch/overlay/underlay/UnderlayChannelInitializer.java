package io.ringswitch.overlay.underlay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * The node's UDP pipeline, one job per handler: the TCP links when they are on (their frames come
 * in, and datagrams for TCP paths leave, here), the link layer's security when it is on (records
 * opened and sealed, handshakes), datagram to ring message (and rejects counted), ring message to
 * datagram, and the hand-over of what arrived to the ring node or the frame path.
 */
public final class UnderlayChannelInitializer extends ChannelInitializer<Channel> {
    private final ChannelHandler tcp;
    private final ChannelHandler security;
    private final DatagramDecoder decoder;
    private final RingInboundHandler.Receiver receiver;

    /** A plaintext pipeline. */
    public UnderlayChannelInitializer(DatagramDecoder decoder, RingInboundHandler.Receiver receiver) {
        this(null, decoder, receiver);
    }

    /** A pipeline with {@code security} (nullable) in front of the decoder. */
    public UnderlayChannelInitializer(ChannelHandler security, DatagramDecoder decoder, RingInboundHandler.Receiver receiver) {
        this(null, security, decoder, receiver);
    }

    /** A pipeline with {@code tcp} (nullable: no TCP links) first and {@code security} (nullable) after it. */
    public UnderlayChannelInitializer(TcpLinks tcp, ChannelHandler security, DatagramDecoder decoder,
                                      RingInboundHandler.Receiver receiver) {
        this.tcp = tcp;
        this.security = security;
        this.decoder = decoder;
        this.receiver = receiver;
    }

    @Override
    public void initChannel(Channel ch) {
        if (tcp != null) {
            ch.pipeline().addLast("tcp", tcp);
        }
        if (security != null) {
            ch.pipeline().addLast("security", security);
        }
        ch.pipeline().addLast("decoder", decoder).addLast("encoder", new RingMessageEncoder())
                .addLast("ring", new RingInboundHandler(receiver));
    }
}
