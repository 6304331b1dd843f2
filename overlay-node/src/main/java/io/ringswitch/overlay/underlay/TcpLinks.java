package io.ringswitch.overlay.underlay;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.ringswitch.overlay.ring.PeerPath;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP links, for peers that UDP does not reach: a listener on the UDP channel's address and port,
 * and connections dialled on demand, all on the UDP channel's event loop. A stream carries the
 * overlay's envelopes back to back ({@link WireFormat}: the length at offset 4 counts the
 * payload). This handler sits first in the UDP pipeline:
 * <ul>
 * <li>each frame of a connection goes into the pipeline as a {@link PathDatagram} from
 *     {@code Tcp(the connection's remote address)}, so the secure layer sees it like any datagram;</li>
 * <li>a {@link PathDatagram} written for {@code Tcp(e)} goes to the connection whose remote address
 *     is {@code e}, dialled if there is none ({@value #QUEUE} datagrams wait while it connects);
 *     accepted connections are kept by their remote address too, so replies take them.</li>
 * </ul>
 * Connections idle (no reads, no writes) for a while, failing, or sending a frame that is not an
 * envelope close, and nothing they had buffered goes further; every such event is counted. At most
 * {@value #MAX_ACCEPTED} accepted connections are open at once (a flood of connections costs the
 * node no more than that): one more is closed as it comes, counted and logged. Confined to the
 * event loop. Each connection's frames pass through a {@link TcpStreamHandler}.
 */
public final class TcpLinks extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(TcpLinks.class);
    static final int QUEUE = 64;
    /** Accepted connections open at once; dialled ones are bounded by the peers this node dials. */
    static final int MAX_ACCEPTED = 1024;
    static final int CONNECT_TIMEOUT_MILLIS = 3000;
    static final int MAX_FRAME = WireFormat.HEADER_LENGTH + WireFormat.MAX_PAYLOAD;
    /** A connection takes up to 1 MB waiting for the socket before datagrams for it are dropped. */
    private static final WriteBufferWaterMark WATER_MARK =
            new WriteBufferWaterMark(512 << 10, 1 << 20);

    /**
     * What the TCP links did, as data points of the node's registry: connections by event, frames
     * each way ({@code ringswitch_frames_total{path="tcp"}}), refusals and drops
     * ({@code ringswitch_refused_total{layer="tcp"}}). Read with the getters, from any thread.
     */
    public static final class Counters {
        private static final String CONNECTIONS = "ringswitch_tcp_connections_total";
        private static final String CONNECTIONS_HELP = "TCP link connections, by event.";
        public static final CounterKey DIALLED = CounterKey.of(CONNECTIONS, CONNECTIONS_HELP, "event", "dialled");
        public static final CounterKey ACCEPTED = CounterKey.of(CONNECTIONS, CONNECTIONS_HELP, "event", "accepted");
        public static final CounterKey FAILED = CounterKey.of(CONNECTIONS, CONNECTIONS_HELP, "event", "failed");
        public static final CounterKey CLOSED_IDLE = CounterKey.of(CONNECTIONS, CONNECTIONS_HELP, "event", "closed_idle");
        /** Connections closed as they were accepted, because the most accepted connections were open. */
        public static final CounterKey OVER_LIMIT = CounterKey.refused("tcp", "over-limit");
        public static final CounterKey MALFORMED = CounterKey.refused("tcp", "malformed");
        /** Datagrams dropped: queue full while connecting, a connection that failed or cannot take more. */
        public static final CounterKey DROPPED = CounterKey.refused("tcp", "dropped");
        public static final CounterKey FRAMES_IN = Metrics.frames("in", "tcp");
        public static final CounterKey FRAMES_OUT = Metrics.frames("out", "tcp");

        final CounterDataPoint dialled;
        final CounterDataPoint accepted;
        final CounterDataPoint overLimit;
        final CounterDataPoint failed;
        final CounterDataPoint closedIdle;
        final CounterDataPoint malformed;
        final CounterDataPoint dropped;
        final CounterDataPoint framesIn;
        final CounterDataPoint framesOut;

        Counters(NodeMetrics metrics) {
            dialled = DIALLED.in(metrics);
            accepted = ACCEPTED.in(metrics);
            overLimit = OVER_LIMIT.in(metrics);
            failed = FAILED.in(metrics);
            closedIdle = CLOSED_IDLE.in(metrics);
            malformed = MALFORMED.in(metrics);
            dropped = DROPPED.in(metrics);
            framesIn = FRAMES_IN.in(metrics);
            framesOut = FRAMES_OUT.in(metrics);
        }

        public long dialled() { return dialled.getLongValue(); }
        public long accepted() { return accepted.getLongValue(); }
        public long overLimit() { return overLimit.getLongValue(); }
        public long failed() { return failed.getLongValue(); }
        public long closedIdle() { return closedIdle.getLongValue(); }
        public long malformed() { return malformed.getLongValue(); }
        public long dropped() { return dropped.getLongValue(); }
        public long framesIn() { return framesIn.getLongValue(); }
        public long framesOut() { return framesOut.getLongValue(); }
    }

    private final class Connection {
        final Channel channel;
        final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
        boolean up;

        Connection(Channel channel, boolean up) {
            this.channel = channel;
            this.up = up;
        }
    }

    private final boolean epoll;
    private final long idleSeconds;
    private final int maxAccepted;
    private int acceptedOpen;
    private final Counters counters;
    private final Map<InetSocketAddress, Connection> connections = new HashMap<>();
    private ChannelHandlerContext udp;
    private Channel listener;

    /**
     * @param epoll       use the native epoll transport (as the UDP channel does), else NIO
     * @param idleSeconds a connection with neither reads nor writes this long closes (60)
     */
    public TcpLinks(boolean epoll, long idleSeconds) {
        this(epoll, idleSeconds, NodeMetrics.inProcess());
    }

    /** TCP links that count in the node's {@code metrics}. */
    public TcpLinks(boolean epoll, long idleSeconds, NodeMetrics metrics) {
        this(epoll, idleSeconds, MAX_ACCEPTED, metrics);
    }

    TcpLinks(boolean epoll, long idleSeconds, int maxAccepted) {
        this(epoll, idleSeconds, maxAccepted, NodeMetrics.inProcess());
    }

    TcpLinks(boolean epoll, long idleSeconds, int maxAccepted, NodeMetrics metrics) {
        this.counters = new Counters(metrics);
        this.epoll = epoll;
        this.idleSeconds = idleSeconds;
        this.maxAccepted = maxAccepted;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.udp = ctx;
    }

    /** Listens on {@code address} (the UDP channel's own); call once the UDP channel is bound. */
    public InetSocketAddress listen(InetSocketAddress address) throws InterruptedException {
        EventLoop loop = udp.channel().eventLoop();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        listener = new ServerBootstrap().group(loop, loop).channel(type)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted(ch);
                    }
                })
                .bind(address).sync().channel();
        log.info("TCP links on {}", listener.localAddress());
        return (InetSocketAddress) listener.localAddress();
    }

    /** Takes an accepted connection in, unless {@link #maxAccepted} are open already. */
    private void accepted(Channel ch) {
        if (acceptedOpen >= maxAccepted) {
            if (Long.bitCount(Metrics.incremented(counters.overLimit)) == 1) {
                log.warn("TCP links: {} accepted connections open, closing one more from {} ({} so far)",
                        acceptedOpen, ch.remoteAddress(), counters.overLimit());
            }
            ch.close();
            return;
        }
        counters.accepted.inc();
        acceptedOpen++;
        ch.closeFuture().addListener(closed -> acceptedOpen--);
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        Connection old = connections.put(remote, new Connection(ch, true));
        if (old != null) {
            // A dialled connection to the same address, perhaps still connecting: what waited for it goes.
            drop(old);
            old.channel.close();
        }
        pipeline(ch, remote);
    }

    /**
     * Cuts a stream into envelopes: the length at offset 4 (two bytes) counts the payload, and
     * two reserved bytes follow it; a length over {@link WireFormat#MAX_PAYLOAD} fails the stream.
     */
    static LengthFieldBasedFrameDecoder frameDecoder() {
        return new LengthFieldBasedFrameDecoder(MAX_FRAME, 4, 2, 2, 0);
    }

    private void pipeline(Channel ch, InetSocketAddress remote) {
        ch.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, idleSeconds, TimeUnit.SECONDS))
                .addLast("frames", frameDecoder())
                .addLast("link", new TcpStreamHandler(udp, remote, counters, idleSeconds, closed -> forget(remote, closed)));
    }

    private void forget(InetSocketAddress remote, Channel ch) {
        Connection c = connections.get(remote);
        if (c != null && c.channel == ch) {
            connections.remove(remote);
            drop(c);
        }
    }

    /** Drops (and counts) what waited for a connection that is no longer in the table. */
    private void drop(Connection c) {
        counters.dropped.inc(c.waiting.size());
        c.waiting.forEach(ByteBuf::release);
        c.waiting.clear();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof PathDatagram d)) {
            ctx.write(msg, promise);
            return;
        }
        promise.trySuccess();
        if (!(d.path() instanceof PeerPath.Tcp tcp)) {
            // A relay path that no secure layer wrapped (plaintext links cannot relay).
            counters.dropped.inc();
            d.release();
            return;
        }
        send(tcp.endpoint(), d.content());
    }

    /** Sends one datagram (envelope and payload) to {@code to}, dialling if needed; takes the buffer. */
    private void send(InetSocketAddress to, ByteBuf datagram) {
        Connection c = connections.get(to);
        if (c == null) {
            c = dial(to);
        }
        if (c == null) {
            counters.dropped.inc();
            datagram.release();
            return;
        }
        if (!c.up) {
            if (c.waiting.size() >= QUEUE) {
                counters.dropped.inc();
                datagram.release();
            } else {
                c.waiting.addLast(datagram);
            }
            return;
        }
        if (!c.channel.isWritable()) {
            counters.dropped.inc();
            datagram.release();
            return;
        }
        counters.framesOut.inc();
        c.channel.writeAndFlush(datagram, c.channel.voidPromise());
    }

    /** A connection dialled to {@code to}; null when the dial failed at once (its listener ran inline). */
    private Connection dial(InetSocketAddress to) {
        counters.dialled.inc();
        ChannelFuture f = new Bootstrap().group(udp.channel().eventLoop())
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        pipeline(ch, to);
                    }
                })
                .connect(to);
        Connection c = new Connection(f.channel(), false);
        connections.put(to, c);
        f.addListener(done -> {
            if (connections.get(to) != c) {
                // Superseded (an accepted connection took the address) or the links closed.
                drop(c);
                if (done.isSuccess()) {
                    c.channel.close();
                }
                return;
            }
            if (!done.isSuccess()) {
                counters.failed.inc();
                log.debug("TCP link to {} failed: {}", to, String.valueOf(done.cause()));
                forget(to, c.channel);
                return;
            }
            c.up = true;
            while (!c.waiting.isEmpty()) {
                counters.framesOut.inc();
                c.channel.write(c.waiting.removeFirst(), c.channel.voidPromise());
            }
            c.channel.flush();
        });
        return connections.get(to) == c ? c : null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        close();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        close();
    }

    /** Closes the listener and every connection. */
    public void close() {
        if (listener != null) {
            listener.close();
            listener = null;
        }
        java.util.List<Connection> all = new java.util.ArrayList<>(connections.values());
        connections.clear();
        for (Connection c : all) {
            c.waiting.forEach(ReferenceCountUtil::release);
            c.waiting.clear();
            c.channel.close();
        }
    }

    /** What the TCP links did; read on the event loop. */
    public Counters counters() {
        return counters;
    }

    /** Connections open or opening now; on the event loop. */
    public int connections() {
        return connections.size();
    }
}
