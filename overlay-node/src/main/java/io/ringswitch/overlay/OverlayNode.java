package io.ringswitch.overlay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import io.ringswitch.overlay.tap.TapDevice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One site's RingSwitch node: the switch controller, the overlay port and the UDP links, wired
 * together. Its state lives on one Netty event loop; a dedicated thread reads the TAP device and
 * hands each frame to that loop.
 */
public final class OverlayNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OverlayNode.class);
    static final long TICK_MILLIS = 1000;
    static final long HELLO_EVERY_TICKS = 2;
    static final long LIVENESS_MILLIS = 6000;
    private static final int SOCKET_BUFFER = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final NodeConfig config;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final byte[] nameBytes;
    private final int frameBufferSize;
    private OpenFlowController controller;
    private TapDevice tap;
    private OvsPort ovsPort;
    private NioEventLoopGroup group;
    private EventLoop loop;
    private Channel udp;
    private FrameForwarder forwarder;
    private Thread tapReader;
    private volatile boolean running;
    private long ticks;

    private OverlayNode(NodeConfig config) {
        this.config = config;
        this.nameBytes = config.name().getBytes(StandardCharsets.UTF_8);
        this.frameBufferSize = WireFormat.HEADER_LENGTH + config.tap().mtu() + 18;
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
        forwarder = new FrameForwarder(new FrameForwarder.Links() {
            @Override
            public void send(InetSocketAddress to, ByteBuf datagram) {
                udp.write(new DatagramPacket(datagram, to), udp.voidPromise());
            }

            @Override
            public void flush() {
                udp.flush();
            }
        }, tap::write, config.peerAddresses());
        udp = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(Math.max(2048, frameBufferSize)))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        forwarder.fromLink(packet.sender(), packet.content(), System.currentTimeMillis());
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        log.warn("UDP link error: {}", cause.toString());
                    }
                })
                .bind(config.listenAddress()).sync().channel();
        log.info("node {} listening on UDP {} with {} static peer(s)", config.name(),
                Endpoints.format((InetSocketAddress) udp.localAddress()), config.peers().size());
        running = true;
        tapReader = new Thread(this::readTap, "tap-reader-" + tap.name());
        tapReader.setDaemon(true);
        tapReader.start();
        loop.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The TAP reader thread: one pooled direct buffer per frame, handed to the event loop. */
    private void readTap() {
        ByteBuf buf = null;
        while (running) {
            if (buf == null) {
                buf = alloc.directBuffer(frameBufferSize, frameBufferSize);
                buf.writerIndex(WireFormat.HEADER_LENGTH);
            }
            if (tap.read(buf) == 0) {
                tap.awaitReadable(200);
                continue;
            }
            ByteBuf frame = buf;
            buf = null;
            loop.execute(() -> forwarder.fromPort(frame));
        }
        if (buf != null) {
            buf.release();
        }
    }

    private void tick() {
        long now = System.currentTimeMillis();
        if (ticks++ % HELLO_EVERY_TICKS == 0) {
            forwarder.tick(now, nameBytes, () -> alloc.directBuffer(WireFormat.HEADER_LENGTH + WireFormat.MAX_NAME));
        }
        if (config.statusFile() != null) {
            writeStatusFile(snapshot(now));
        }
    }

    private NodeStatus snapshot(long now) {
        return new NodeStatus(config.name(),
                forwarder.peers().stream().map(p -> new NodeStatus.PeerStatus(Endpoints.format(p.address), p.name,
                        p.isUp(now, LIVENESS_MILLIS),
                        p.lastHeardMillis == Long.MIN_VALUE ? -1 : now - p.lastHeardMillis,
                        p.framesSent, p.framesReceived)).toList(),
                forwarder.remoteMacs(), forwarder.counters(), controller.status());
    }

    private void writeStatusFile(NodeStatus status) {
        Path target = Path.of(config.statusFile());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.write(tmp, JSON.writeValueAsBytes(status));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot write status file {}: {}", target, e.getMessage());
        }
    }

    /** A snapshot taken on the event loop. */
    public NodeStatus status() throws InterruptedException {
        try {
            return loop.submit(() -> snapshot(System.currentTimeMillis())).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("node did not answer for its status", e);
        }
    }

    @Override
    public void close() {
        running = false;
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
