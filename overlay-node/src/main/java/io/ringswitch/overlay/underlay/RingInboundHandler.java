package io.ringswitch.overlay.underlay;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each decoded message to the ring node and each frame to the frame path, on the channel's
 * event loop (the node's thread), tells the frame path when a burst of reads ends so that it
 * writes what it gathered, and tells the ring when a peer's path changed ({@link PathChanged}).
 */
public final class RingInboundHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RingInboundHandler.class);

    /** Where decoded datagrams go. */
    public interface Receiver {
        void message(InboundMessage message);

        /** Takes ownership of the frame's buffer. */
        void frame(InboundFrame frame);

        /** The end of a burst of datagrams read at once. */
        void burstEnd();

        /**
         * Authentic records of {@code peer} now come over {@code path}: its link should follow.
         * Only the secure link layer tells this (plaintext links cannot tell a peer that moved
         * from someone else), so a receiver without it may ignore it.
         */
        default void pathChanged(RingAddress peer, PeerPath path) {
        }
    }

    private final Receiver receiver;

    public RingInboundHandler(Receiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InboundFrame frame) {
            receiver.frame(frame);
        } else if (msg instanceof InboundMessage message) {
            receiver.message(message);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof PathChanged changed) {
            receiver.pathChanged(changed.peer(), changed.path());
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        receiver.burstEnd();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("UDP link error: {}", cause.toString());
    }
}
