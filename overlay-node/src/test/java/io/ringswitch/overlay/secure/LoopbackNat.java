package io.ringswitch.overlay.secure;

import io.netty.bootstrap.Bootstrap;
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
import java.util.function.Consumer;

/**
 * A NAT in front of one node, on loopback: the node sends to {@link #facing()} as if that were
 * its peer; the NAT passes it on to the peer from the node's mapping ({@link #mapped()}, a socket
 * of its own), and what the peer sends to the mapping back to the node. {@link #rebind()} gives
 * the node a new mapping (a new port), as a NAT does that forgot an idle one or restarted; the
 * old one is gone. {@link #holdNext()} keeps the node's next datagram back, to deliver late.
 */
final class LoopbackNat implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final InetSocketAddress inside;
    private final InetSocketAddress peer;
    private final Channel facing;
    private volatile Channel mapping;
    private final AtomicBoolean hold = new AtomicBoolean();
    /** Datagrams of the node kept back by {@link #holdNext()}. */
    final BlockingQueue<byte[]> held = new LinkedBlockingQueue<>();

    LoopbackNat(InetSocketAddress inside, InetSocketAddress peer) throws InterruptedException {
        this.inside = inside;
        this.peer = peer;
        facing = bind(this::outbound);
        mapping = bind(this::inbound);
    }

    private void outbound(DatagramPacket p) {
        if (hold.compareAndSet(true, false)) {
            held.add(ByteBufUtil.getBytes(p.content()));
            return;
        }
        mapping.writeAndFlush(new DatagramPacket(p.content().retain(), peer));
    }

    private void inbound(DatagramPacket p) {
        facing.writeAndFlush(new DatagramPacket(p.content().retain(), inside));
    }

    private Channel bind(Consumer<DatagramPacket> onRead) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                onRead.accept(p);
            }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** Where the node sends to reach the peer. */
    InetSocketAddress facing() {
        return (InetSocketAddress) facing.localAddress();
    }

    /** Where the peer sees the node's datagrams come from, now. */
    InetSocketAddress mapped() {
        return (InetSocketAddress) mapping.localAddress();
    }

    /** A new mapping for the node; the old one is closed, and what the peer sends there is lost. */
    void rebind() throws InterruptedException {
        Channel old = mapping;
        mapping = bind(this::inbound);
        old.close().sync();
    }

    /** The node's next datagram is kept in {@link #held} instead of passed on. */
    void holdNext() {
        hold.set(true);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
