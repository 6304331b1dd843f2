package io.ringswitch.overlay.underlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.ReferenceCountUtil;
import io.ringswitch.overlay.ring.PeerPath;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The TCP links on their own, with real loopback sockets: the cap on accepted connections, frames
 * cut after a stream was closed as malformed, and datagrams for dials that fail or are superseded.
 */
class TcpLinksTest {
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final BlockingQueue<PathDatagram> up = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new ArrayList<>();
    private TcpLinks links;
    private Channel udp;
    private InetSocketAddress at;

    @AfterEach
    void tearDown() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (udp != null) {
            udp.close().sync();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        up.forEach(ReferenceCountUtil::release);
    }

    /** A UDP channel with TCP links of at most {@code maxAccepted} accepted connections, listening. */
    private void start(int maxAccepted) throws Exception {
        links = new TcpLinks(false, 60, maxAccepted);
        udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(links, new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof PathDatagram d) {
                                    up.add(d);
                                } else {
                                    ReferenceCountUtil.release(msg);
                                }
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        at = links.listen((InetSocketAddress) udp.localAddress());
    }

    private <T> T onLoop(Callable<T> work) throws Exception {
        return udp.eventLoop().submit(work).get(5, TimeUnit.SECONDS);
    }

    private static boolean await(BooleanSupplier condition, long seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - until > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private boolean awaitOnLoop(Callable<Boolean> condition, long seconds) throws InterruptedException {
        return await(() -> {
            try {
                return onLoop(condition);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, seconds);
    }

    private Socket connect() throws Exception {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(at, 2000);
        return s;
    }

    /** True when the peer closed {@code s}; false when it is still open after {@code millis}. */
    private static boolean closedByPeer(Socket s, int millis) throws Exception {
        s.setSoTimeout(millis);
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static byte[] envelope(int magic, int payload) {
        ByteBuf b = Unpooled.buffer();
        WireFormat.setHeader(b, 0, WireFormat.TYPE_SEALED_RING, payload);
        b.setShort(0, magic);
        b.writerIndex(WireFormat.HEADER_LENGTH).writeZero(payload);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    @Test
    void acceptedConnectionsOverTheLimitAreClosedAndCounted() throws Exception {
        start(2);
        Socket first = connect();
        Socket second = connect();
        assertTrue(awaitOnLoop(() -> links.counters().accepted() == 2, 5));
        Socket third = connect();
        assertTrue(closedByPeer(third, 5000), "the connection over the limit is closed");
        assertEquals(1, (long) onLoop(() -> links.counters().overLimit()));
        assertEquals(2, (int) onLoop(links::connections));
        assertFalse(closedByPeer(first, 200), "the ones under the limit stay");
        assertFalse(closedByPeer(second, 200));

        // A closed connection makes room again.
        first.close();
        assertTrue(awaitOnLoop(() -> links.connections() == 1, 5));
        Socket fourth = connect();
        assertTrue(awaitOnLoop(() -> links.counters().accepted() == 3, 5));
        assertFalse(closedByPeer(fourth, 200));
        assertEquals(1, (long) onLoop(() -> links.counters().overLimit()));
    }

    @Test
    void framesReadAfterAMalformedOneAreNotPassedOn() throws Exception {
        start(TcpLinks.MAX_ACCEPTED);
        Socket s = connect();
        OutputStream out = s.getOutputStream();
        byte[] bad = envelope(0x4745, 4);
        byte[] good = envelope(WireFormat.MAGIC, 4);
        byte[] both = new byte[bad.length + 3 * good.length];
        System.arraycopy(bad, 0, both, 0, bad.length);
        for (int i = 0; i < 3; i++) {
            System.arraycopy(good, 0, both, bad.length + i * good.length, good.length);
        }
        out.write(both);
        out.flush();
        assertTrue(closedByPeer(s, 5000));
        assertTrue(awaitOnLoop(() -> links.counters().malformed() == 1 && links.connections() == 0, 5));
        assertEquals(0, (long) onLoop(() -> links.counters().framesIn()));
        assertTrue(up.isEmpty(), "nothing of a stream closed as malformed went up");
    }

    @Test
    void aDialThatFailsAtOnceReleasesTheDatagram() {
        // On an event loop that cannot host a socket, the dial fails inside the write: the
        // datagram must not wait on a connection that is already forgotten.
        TcpLinks embedded = new TcpLinks(false, 60);
        EmbeddedChannel ch = new EmbeddedChannel(embedded);
        ByteBuf d = Unpooled.wrappedBuffer(envelope(WireFormat.MAGIC, 4));
        ch.writeOutbound(new PathDatagram(d, new PeerPath.Tcp(new InetSocketAddress("127.0.0.1", 9))));
        assertEquals(0, d.refCnt(), "released");
        assertEquals(1, embedded.counters().failed());
        assertEquals(1, embedded.counters().dropped());
        assertEquals(0, embedded.connections());
        assertFalse(ch.finish());
    }

    @Test
    void anAcceptedConnectionThatSupersedesADialReleasesWhatWaited() throws Exception {
        start(TcpLinks.MAX_ACCEPTED);
        // A listener that accepts nothing and whose queue is full: a dial to it stays connecting.
        ServerSocket stuck = new ServerSocket();
        stuck.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        stuck.bind(new InetSocketAddress("127.0.0.1", 0), 1);
        InetSocketAddress there = (InetSocketAddress) stuck.getLocalSocketAddress();
        try (stuck) {
            for (int i = 0; i < 4; i++) {
                Socket filler = new Socket();
                sockets.add(filler);
                try {
                    filler.connect(there, 200);
                } catch (SocketTimeoutException e) {
                    break;
                }
            }
            ByteBuf d = Unpooled.wrappedBuffer(envelope(WireFormat.MAGIC, 4));
            onLoop(() -> udp.writeAndFlush(new PathDatagram(d, new PeerPath.Tcp(there))));
            assertTrue(awaitOnLoop(() -> links.connections() == 1, 5));
            assertEquals(1, d.refCnt(), "waiting while the dial runs");

            // A connection accepted from that same address takes its place.
            Socket same = new Socket();
            sockets.add(same);
            same.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            same.bind(there);
            same.connect(at, 2000);
            assertTrue(await(() -> d.refCnt() == 0, 2), "released as the dial was superseded");
            assertTrue(awaitOnLoop(() -> links.counters().accepted() == 1 && links.counters().dropped() == 1, 5));
            assertEquals(1, (int) onLoop(links::connections));
        }
    }
}
