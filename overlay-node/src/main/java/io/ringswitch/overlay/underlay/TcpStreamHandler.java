package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.ring.PeerPath;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of one TCP link's pipeline: turns each envelope cut from the stream into a
 * {@link PathDatagram} from {@code Tcp(remote)} fired into the UDP pipeline, and closes the
 * connection (counted) when it idles, fails, or sends something that is not an envelope. Split
 * out of {@link TcpLinks}, which owns the connections; logs under its name. On the event loop.
 */
final class TcpStreamHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TcpLinks.class);

    private final ChannelHandlerContext udp;
    private final InetSocketAddress remote;
    private final PeerPath.Tcp path;
    private final TcpLinks.Counters counters;
    private final long idleSeconds;
    /** Told of the connection's channel once it is closed, to take it out of the table. */
    private final Consumer<Channel> closed;

    TcpStreamHandler(ChannelHandlerContext udp, InetSocketAddress remote, TcpLinks.Counters counters, long idleSeconds,
                     Consumer<Channel> closed) {
        this.udp = udp;
        this.remote = remote;
        this.path = new PeerPath.Tcp(remote);
        this.counters = counters;
        this.idleSeconds = idleSeconds;
        this.closed = closed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (!ctx.channel().isActive()) {
            // Cut from the same read as a frame that closed the stream: not passed on.
            frame.release();
            return;
        }
        if (frame.getUnsignedShort(frame.readerIndex()) != WireFormat.MAGIC) {
            frame.release();
            malformed(ctx.channel(), "not an envelope");
            return;
        }
        counters.framesIn.inc();
        udp.fireChannelRead(new PathDatagram(frame, path));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        udp.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent e && e.state() == IdleState.ALL_IDLE) {
            counters.closedIdle.inc();
            log.debug("TCP link {} idle for {} s: closing", remote, idleSeconds);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed.accept(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
            malformed(ctx.channel(), cause.getMessage());
        } else {
            counters.failed.inc();
            log.debug("TCP link {} failed: {}", remote, cause.toString());
            ctx.close();
        }
    }

    private void malformed(Channel ch, String why) {
        if (Long.bitCount(Metrics.incremented(counters.malformed)) == 1) {
            log.warn("TCP link {} sent a malformed stream ({}): closing it ({} so far)", remote, why, counters.malformed());
        }
        ch.close();
    }
}
