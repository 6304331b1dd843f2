package io.ringswitch.overlay.underlay;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop and UDP channel of a node: Linux's native epoll transport where it loads, with
 * batched receive (recvmmsg), UDP GRO (the kernel hands over a run of datagrams from one peer in
 * one read) and UDP GSO on send; Java NIO, one datagram per system call, where it does not. The
 * loop is an {@link io.netty.channel.IoEventLoop}: with epoll it also watches the TAP device.
 *
 * @param name  {@code epoll} or {@code nio}, for logs and status
 * @param gso   whether a run of equal-sized datagrams can leave in one {@code sendmsg} (UDP_SEGMENT)
 */
public record UnderlayTransport(String name, EventLoopGroup group, boolean gso) {
    private static final Logger log = LoggerFactory.getLogger(UnderlayTransport.class);
    private static final int SOCKET_BUFFER = 8 << 20;
    /** Largest datagram the underlay can carry; with GRO one read can hold many. */
    private static final int MAX_DATAGRAM = 65_535;
    /**
     * What one read of the epoll channel allocates: GRO runs of up to 64 KB, four of them per
     * recvmmsg. The pool keeps it between reads only because {@code node.options} lets the loop's
     * thread cache hold buffers this large ({@code io.netty.allocator.maxCachedBufferCapacity});
     * otherwise a read on a quiet link takes a fresh chunk, zeroed, and frees it again.
     */
    public static final int RECEIVE_BUFFER_BYTES = 4 * MAX_DATAGRAM;

    /** The best transport this machine offers, unless {@code nio} is asked for; no busy polling. */
    public static UnderlayTransport choose(boolean allowNative) {
        return choose(allowNative, 0);
    }

    /**
     * The best transport this machine offers, unless {@code nio} is asked for; with epoll, the loop
     * polls for {@code busyPollMicros} after each wake-up before it sleeps (0: never; see
     * {@link BusyPollSelectStrategy}). NIO ignores it.
     */
    public static UnderlayTransport choose(boolean allowNative, int busyPollMicros) {
        if (allowNative && Epoll.isAvailable()) {
            IoHandlerFactory handlers = busyPollMicros > 0
                    ? EpollIoHandler.newFactory(0, BusyPollSelectStrategy.factory(busyPollMicros))
                    : EpollIoHandler.newFactory();
            if (busyPollMicros > 0) {
                log.info("busy polling for {} us after each wake-up of the event loop", busyPollMicros);
            }
            return new UnderlayTransport("epoll", new MultiThreadIoEventLoopGroup(1, handlers),
                    EpollDatagramChannel.isSegmentedDatagramPacketSupported());
        }
        if (allowNative) {
            log.info("native epoll transport unavailable ({}); using NIO", Epoll.unavailabilityCause().toString());
        }
        return new UnderlayTransport("nio", new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()), false);
    }

    /** Whether this transport is the native epoll one (TCP links use the same). */
    public boolean epoll() {
        return name.equals("epoll");
    }

    /** Binds the node's UDP channel with the pipeline of {@code initializer}. */
    public Channel bind(InetSocketAddress address, UnderlayChannelInitializer initializer) throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .handler(initializer);
        if (name.equals("epoll")) {
            b.channel(EpollDatagramChannel.class)
                    .option(EpollChannelOption.UDP_GRO, true)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER_BYTES));
        } else {
            b.channel(NioDatagramChannel.class)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        return b.bind(address).sync().channel();
    }
}
