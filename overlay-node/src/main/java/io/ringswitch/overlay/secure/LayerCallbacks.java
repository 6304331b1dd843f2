package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import java.util.concurrent.RejectedExecutionException;

/**
 * What the secure layer's helpers ({@link HandshakeGate}, {@link SessionTable},
 * {@link RelayForwarder}, {@link RoutedPaths}) ask of the {@link SecureLinkHandler} they work
 * for: to send, to receive again, to start and repeat handshakes, and to run work on its event loop.
 */
final class LayerCallbacks implements HandshakeGate.Link, SessionTable.Actions, RelayForwarder.Layer, RoutedPaths.Layer {
    private final SecureLinkHandler layer;

    LayerCallbacks(SecureLinkHandler layer) {
        this.layer = layer;
    }

    private ChannelHandlerContext ctx() {
        return layer.context();
    }

    @Override
    public void onLoop(Runnable work) {
        try {
            ctx().executor().execute(work);
        } catch (RejectedExecutionException e) {
            // The node is closing: the session would go nowhere.
        }
    }

    @Override
    public void send(Object datagram) {
        layer.send(datagram);
    }

    @Override
    public void post(Object datagram) {
        ctx().channel().writeAndFlush(datagram, ctx().channel().voidPromise());
    }

    @Override
    public boolean initiate(PeerPath to, int index, RingAddress expected) {
        return layer.handshakes().initiate(to, index, expected);
    }

    @Override
    public void resend(int index) {
        layer.handshakes().resend(index);
    }

    @Override
    public void keepalive(Session s) {
        send(SecureLinkHandler.datagram(SealedDatagrams.keepalive(ctx().alloc(), s.send), s.path));
    }

    @Override
    public void receive(PeerPath from, ByteBuf datagram) {
        layer.receive(from, datagram);
    }

    @Override
    public void write(Object datagram, ChannelPromise promise) {
        layer.write(ctx(), datagram, promise);
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx().alloc();
    }
}
