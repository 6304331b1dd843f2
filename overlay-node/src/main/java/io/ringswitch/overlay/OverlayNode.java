package io.ringswitch.overlay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.ringswitch.controller.OpenFlowController;
import io.ringswitch.controller.api.ControllerConfig;
import io.ringswitch.controller.api.SwitchListener;
import io.ringswitch.overlay.api.Endpoints;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingMessage;
import io.ringswitch.overlay.ring.RingMessageCodec;
import io.ringswitch.overlay.ring.RingNode;
import io.ringswitch.overlay.tap.TapDevice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One site's RingSwitch node: the switch controller, the overlay port and the ring node on UDP,
 * wired together. Its state (ring and forwarder) lives on one Netty event loop; a dedicated thread
 * reads the TAP device and hands each frame to that loop.
 */
public final class OverlayNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OverlayNode.class);
    static final long TICK_MILLIS = 1000;
    private static final int SOCKET_BUFFER = 4 << 20;
    private static final int MAX_BATCH = 32;

    private final NodeConfig config;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final int frameBufferSize;
    private OpenFlowController controller;
    private TapDevice tap;
    private OvsPort ovsPort;
    private NioEventLoopGroup group;
    private EventLoop loop;
    private Channel udp;
    private FrameForwarder forwarder;
    private EventLoopScheduler scheduler;
    private RingNode ring;
    private final Map<WireFormat.Reject, Long> rejects = new EnumMap<>(WireFormat.Reject.class);
    private Thread tapReader;
    private volatile boolean running;
    /** Set on the event loop while a batch of frames from the TAP is forwarded: flush once at its end. */
    private boolean batching;

    private OverlayNode(NodeConfig config) {
        this.config = config;
        this.frameBufferSize = config.tap().mtu() + 18;
    }

    /** Starts every part; on failure, stops what had started and throws with the reason. */
    public static OverlayNode start(NodeConfig config) throws IOException, InterruptedException {
        OverlayNode node = new OverlayNode(config);
        try {
            node.startParts();
            return node;
        } catch (IOException | InterruptedException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private void startParts() throws IOException, InterruptedException {
        controller = new OpenFlowController(ControllerConfig.of(config.controllerAddress(), config.tap().name()),
                new SwitchListener() {
                    @Override
                    public void switchConnected(DatapathId dpid) {
                        log.info("bridge {} ({}) is under control", config.bridge().name(), dpid);
                    }

                    @Override
                    public void switchDisconnected(DatapathId dpid) {
                        log.warn("bridge {} ({}) disconnected; waiting for it to reconnect", config.bridge().name(), dpid);
                    }
                });
        controller.start();
        tap = TapDevice.open(config.tap().name(), config.tap().mtu());
        ovsPort = new OvsPort(config.bridge(), config.tap().name());
        ovsPort.add();
        group = new NioEventLoopGroup(1);
        loop = group.next();
        scheduler = new EventLoopScheduler(loop);
        forwarder = new FrameForwarder(tap::write, alloc, scheduler::nowMillis);
        udp = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(Math.max(2048, frameBufferSize + 256)))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        fromUnderlay(packet.sender(), packet.content());
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        log.warn("UDP link error: {}", cause.toString());
                    }
                })
                .bind(config.listenAddress()).sync().channel();
        InetSocketAddress endpoint = (InetSocketAddress) udp.localAddress();
        RingAddress address = RingAddress.ofName(config.name());
        // Message ids and shortcut draws need no secrecy; a SecureRandom per frame cost a lock and
        // a read of /dev/urandom.
        ring = new RingNode(new Contact(address, endpoint), config.ringConfig(), scheduler, this::toUnderlay, forwarder,
                new Random(new SecureRandom().nextLong()));
        forwarder.attach(new FrameForwarder.Ring() {
            @Override
            public void unicast(RingAddress site, byte[] frame) {
                ring.send(site, RingMessage.MODE_EXACT, RingMessage.PAYLOAD_DATA, frame, false);
            }

            @Override
            public void broadcast(byte[] frame) {
                ring.broadcast(RingMessage.PAYLOAD_DATA, frame);
            }
        });
        loop.submit(() -> ring.start(config.bootstrapAddresses())).sync();
        log.info("node {} ({}) on UDP {}, joining through {}", config.name(), address,
                Endpoints.format(endpoint), config.bootstrap().isEmpty() ? "nobody (first node of a new ring)" : config.bootstrap());
        running = true;
        tapReader = new Thread(this::readTap, "tap-reader-" + tap.name());
        tapReader.setDaemon(true);
        tapReader.start();
        loop.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A datagram from the underlay: envelope, then ring message, each checked and counted. */
    private void fromUnderlay(InetSocketAddress sender, ByteBuf datagram) {
        int type = WireFormat.decode(datagram);
        if (type < 0) {
            reject(sender, WireFormat.reason(type), null);
            return;
        }
        RingMessage message;
        try {
            message = RingMessageCodec.decode(datagram);
        } catch (RingMessageCodec.MalformedException e) {
            reject(sender, WireFormat.Reject.MALFORMED_MESSAGE, e.getMessage());
            return;
        }
        ring.onMessage(sender, message);
    }

    private void reject(InetSocketAddress sender, WireFormat.Reject reason, String detail) {
        long count = rejects.merge(reason, 1L, Long::sum);
        if (Long.bitCount(count) == 1) {
            log.warn("rejected a datagram from {}: {}{} ({} so far)", sender, reason,
                    detail == null ? "" : " (" + detail + ")", count);
        }
    }

    /** The ring's transport: one message per datagram, on the event loop. */
    private void toUnderlay(InetSocketAddress to, RingMessage message) {
        ByteBuf buf = alloc.directBuffer(WireFormat.HEADER_LENGTH + RingMessageCodec.sizeOf(message));
        buf.writerIndex(WireFormat.HEADER_LENGTH);
        RingMessageCodec.encode(message, buf);
        WireFormat.setHeader(buf, 0, WireFormat.TYPE_RING, buf.writerIndex() - WireFormat.HEADER_LENGTH);
        if (batching) {
            udp.write(new DatagramPacket(buf, to), udp.voidPromise());
        } else {
            udp.writeAndFlush(new DatagramPacket(buf, to), udp.voidPromise());
        }
    }

    /**
     * The TAP reader thread: reads frames into pooled direct buffers until none is waiting (or a
     * batch is full) and hands the batch to the event loop as one task, which flushes the
     * datagrams once: one wake-up of the loop per burst instead of one per frame.
     */
    private void readTap() {
        List<ByteBuf> batch = new ArrayList<>(MAX_BATCH);
        ByteBuf buf = null;
        while (running) {
            if (buf == null) {
                buf = alloc.directBuffer(frameBufferSize, frameBufferSize);
            }
            boolean got = tap.read(buf) > 0;
            if (got) {
                batch.add(buf);
                buf = null;
                if (batch.size() < MAX_BATCH) {
                    continue;
                }
            }
            if (!batch.isEmpty()) {
                List<ByteBuf> frames = batch;
                batch = new ArrayList<>(MAX_BATCH);
                loop.execute(() -> forwardBatch(frames));
            }
            if (!got) {
                tap.awaitReadable(200);
            }
        }
        if (buf != null) {
            buf.release();
        }
        batch.forEach(ByteBuf::release);
    }

    private void forwardBatch(List<ByteBuf> frames) {
        batching = true;
        try {
            for (ByteBuf frame : frames) {
                forwarder.fromPort(frame);
            }
        } finally {
            batching = false;
            udp.flush();
        }
    }

    private void tick() {
        forwarder.expire();
        if (config.statusFile() != null) {
            writeStatusFile(snapshot());
        }
    }

    private NodeStatus snapshot() {
        Map<String, Long> rejected = new LinkedHashMap<>();
        for (WireFormat.Reject reason : WireFormat.Reject.values()) {
            rejected.put(reason.name(), rejects.getOrDefault(reason, 0L));
        }
        return new NodeStatus(config.name(), ProcessHandle.current().pid(), System.currentTimeMillis(),
                ring.address().toString(), ring.isConnected(),
                ring.leftNeighbours(2).stream().map(c -> c.address().toString()).toList(),
                ring.rightNeighbours(2).stream().map(c -> c.address().toString()).toList(),
                ring.links().stream().map(l -> new NodeStatus.LinkStatus(l.contact().address().toString(),
                        "udp:" + Endpoints.format(l.contact().endpoint()), kinds(l.kinds()), l.rttMillis())).toList(),
                forwarder.remoteMacs(), forwarder.stats(), ring.counters().snapshot(), rejected, controller.status());
    }

    private static List<String> kinds(int kinds) {
        List<String> out = new ArrayList<>(3);
        if ((kinds & RingMessage.KIND_LEAF) != 0) {
            out.add("join");
        }
        if ((kinds & RingMessage.KIND_NEAR) != 0) {
            out.add("near");
        }
        if ((kinds & RingMessage.KIND_SHORTCUT) != 0) {
            out.add("shortcut");
        }
        return out;
    }

    private void writeStatusFile(NodeStatus status) {
        try {
            status.write(Path.of(config.statusFile()));
        } catch (IOException e) {
            log.warn("cannot write status file {}: {}", config.statusFile(), e.getMessage());
        }
    }

    /** A snapshot taken on the event loop. */
    public NodeStatus status() throws InterruptedException {
        try {
            return loop.submit(this::snapshot).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("node did not answer for its status", e);
        }
    }

    @Override
    public void close() {
        running = false;
        if (ring != null && loop != null) {
            try {
                loop.submit(() -> ring.stop(true)).await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (tapReader != null) {
            try {
                tapReader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (ovsPort != null) {
            try {
                ovsPort.remove();
            } catch (IOException e) {
                log.warn("could not take {} off the bridge: {}", config.tap().name(), e.getMessage());
            }
        }
        if (tap != null) {
            tap.close();
        }
        if (controller != null) {
            controller.close();
        }
        log.info("node {} stopped", config.name());
    }
}
