package io.ringswitch.overlay.secure;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A NAT in front of one node, on loopback: everything the node sends leaves from the node's
 * mapping (a socket of the NAT's, {@link #mapped()}), whatever its destination, and what comes to
 * the mapping reaches the node from its true source (endpoint-independent mapping, as Linux
 * masquerade keeps a port); the node's own socket is out of reach, as a private address is.
 * {@link #rebind()} gives the node a new mapping (a new port), as a NAT
 * does that forgot an idle one or restarted; the old one is gone. {@link #holdNext()} keeps the
 * node's next datagram back, to deliver late.
 */
final class LoopbackNat implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final SecureNodes.Node inside;
    private volatile Channel mapping;
    private final AtomicBoolean hold = new AtomicBoolean();
    /** Datagrams of the node kept back by {@link #holdNext()}. */
    final BlockingQueue<byte[]> held = new LinkedBlockingQueue<>();

    /** Puts a NAT in front of {@code inside}. */
    LoopbackNat(SecureNodes.Node inside) throws InterruptedException {
        this.inside = inside;
        mapping = bind();
        inside.nat = this;
    }

    /** A datagram of the node's, for {@code to}: it leaves from the mapping. Takes {@code content}. */
    void send(ByteBuf content, InetSocketAddress to) {
        if (hold.compareAndSet(true, false)) {
            held.add(ByteBufUtil.getBytes(content));
            content.release();
            return;
        }
        mapping.writeAndFlush(new DatagramPacket(content, to));
    }

    private void inbound(DatagramPacket p) {
        ByteBuf content = p.content().retain();
        InetSocketAddress from = p.sender();
        inside.channel.eventLoop().execute(() ->
                inside.channel.pipeline().fireChannelRead(new Translated(content, inside.endpoint(), from)));
    }

    /** A datagram that came in through the NAT; the node's own socket takes no other (it is private). */
    static final class Translated extends DatagramPacket {
        Translated(ByteBuf content, InetSocketAddress recipient, InetSocketAddress sender) {
            super(content, recipient, sender);
        }
    }

    private Channel bind() throws InterruptedException {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                inbound(p);
            }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** Where others see the node's datagrams come from, now. */
    InetSocketAddress mapped() {
        return (InetSocketAddress) mapping.localAddress();
    }

    /** A new mapping for the node; the old one is closed, and what is sent there is lost. */
    void rebind() throws InterruptedException {
        Channel old = mapping;
        mapping = bind();
        old.close().sync();
    }

    /** The node's next datagram is kept in {@link #held} instead of sent. */
    void holdNext() {
        hold.set(true);
    }

    @Override
    public void close() {
        inside.nat = null;
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
