package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.link.RingTransport;
import io.ringswitch.overlay.ring.message.RingMessage;

/**
 * The ring's transport on a UDP channel. Inside {@link #batch} messages are only written and the
 * channel is flushed once at the end (a burst of frames from the TAP); outside, each is flushed.
 * Used on the channel's event loop only.
 */
public final class UdpTransport implements RingTransport {
    private final Channel channel;
    private boolean batching;

    public UdpTransport(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void send(PeerPath path, RingMessage message) {
        if (batching) {
            channel.write(new OutboundMessage(path, message), channel.voidPromise());
        } else {
            channel.writeAndFlush(new OutboundMessage(path, message), channel.voidPromise());
        }
    }

    /**
     * Sends a frame read with {@link WireFormat#HEADROOM} to a linked site as one datagram, the
     * envelope written in place; takes ownership of the buffer.
     */
    public void sendFrame(PeerPath.Udp path, ByteBuf frame) {
        DatagramPacket packet = new DatagramPacket(WireFormat.frameDatagram(frame), path.endpoint());
        if (batching) {
            channel.write(packet, channel.voidPromise());
        } else {
            channel.writeAndFlush(packet, channel.voidPromise());
        }
    }

    /** Runs {@code work}, whose sends are flushed once when it ends. */
    public void batch(Runnable work) {
        batching = true;
        try {
            work.run();
        } finally {
            batching = false;
            channel.flush();
        }
    }
}
