package io.ringswitch.controller;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.ringswitch.controller.api.ControllerConfig;
import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.controller.api.OverlayServices;
import io.ringswitch.controller.api.SwitchListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenFlow 1.3 controller of one site: listens for the bridge's connection and programs its
 * flows. The switch dials in (OVS {@code set-controller unix:PATH}, or {@code tcp:127.0.0.1:PORT})
 * and redials by itself when
 * the channel drops; each new channel does the handshake and installs the flows again, so both a
 * switch restart and a controller restart end in the same tables.
 */
public final class OpenFlowController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpenFlowController.class);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The loopback port a Unix socket listener falls back to where the native transport is missing. */
    static final int FALLBACK_PORT = 6653;

    private final ControllerConfig config;
    private final SwitchListener listener;
    private final OverlayServices overlay;
    private final ControllerCounters counters = new ControllerCounters();
    private final Map<DatapathId, SwitchSessionHandler> sessions = new ConcurrentHashMap<>();
    /** Each switch's pipeline and link, kept across its channels so that a reconnect finds the managers' state. */
    private final Map<DatapathId, SwitchLink> links = new ConcurrentHashMap<>();
    private final Map<DatapathId, SwitchPipeline> pipelines = new ConcurrentHashMap<>();
    private final OpenFlowMessageEncoder encoder = new OpenFlowMessageEncoder();
    private EventLoopGroup group;
    private Channel serverChannel;

    /** A controller for a bridge on its own (no overlay: {@link OverlayServices#none()}). */
    public OpenFlowController(ControllerConfig config, SwitchListener listener) {
        this(config, listener, OverlayServices.none());
    }

    /** A controller whose managers ask {@code overlay} where hosts live, for addresses and for multicast members. */
    public OpenFlowController(ControllerConfig config, SwitchListener listener, OverlayServices overlay) {
        this.config = config;
        this.listener = listener;
        this.overlay = overlay;
    }

    /** Binds the listening socket; returns once the controller accepts connections. */
    public void start() throws InterruptedException {
        SocketAddress listen = config.listen();
        if (listen instanceof DomainSocketAddress && !Epoll.isAvailable()) {
            listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), FALLBACK_PORT);
            log.warn("no native epoll transport ({}): OpenFlow listens on loopback {} instead of {}; point the bridge there",
                    Epoll.unavailabilityCause().toString(), listen, config.listen());
        }
        ServerBootstrap bootstrap = new ServerBootstrap().childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                initPipeline(ch);
            }
        });
        if (listen instanceof DomainSocketAddress unix) {
            group = new EpollEventLoopGroup(1);
            bootstrap.group(group).channel(EpollServerDomainSocketChannel.class);
            try {
                ControllerSocketFile.prepare(Path.of(unix.path()));
            } catch (IOException e) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw new IllegalStateException("cannot listen for OpenFlow on unix:" + unix.path() + ": " + e.getMessage(), e);
            }
        } else {
            group = new NioEventLoopGroup(1);
            bootstrap.group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true);
        }
        try {
            serverChannel = bootstrap.bind(listen).sync().channel();
            if (listen instanceof DomainSocketAddress unix) {
                ControllerSocketFile.restrict(Path.of(unix.path()));
            }
        } catch (RuntimeException | IOException e) {
            if (serverChannel != null) {
                serverChannel.close().awaitUninterruptibly();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen for OpenFlow on " + listen + ": " + e.getMessage(), e);
        }
        log.info("OpenFlow 1.3 controller listening on {}", serverChannel.localAddress());
    }

    /** The handlers of one switch channel, in order. Package-private so that tests build the same pipeline. */
    void initPipeline(Channel ch) {
        long echoMillis = config.echoInterval().toMillis();
        ch.pipeline().addLast(
                new OpenFlowMessageDecoder(counters),
                encoder,
                new IdleStateHandler(echoMillis, 0, 0, TimeUnit.MILLISECONDS),
                new EchoKeepaliveHandler(),
                new OpenFlowHandshakeHandler(counters, HANDSHAKE_TIMEOUT),
                new SwitchSessionHandler(bridges(), counters, listener,
                        new SwitchSessionHandler.SwitchRegistry() {
                            @Override
                            public void add(DatapathId dpid, SwitchSessionHandler session) {
                                sessions.put(dpid, session);
                            }

                            @Override
                            public void remove(DatapathId dpid, SwitchSessionHandler session) {
                                sessions.remove(dpid, session);
                            }
                        }));
    }

    private SwitchSessionHandler.Bridges bridges() {
        return new SwitchSessionHandler.Bridges() {
            @Override
            public SwitchPipeline attach(DatapathId dpid, ChannelHandlerContext ctx, SwitchLink.Writer writer) {
                SwitchLink link = links.computeIfAbsent(dpid, d -> new SwitchLink());
                link.attach(ctx.executor(), writer);
                return pipelines.computeIfAbsent(dpid, d -> new SwitchPipeline(OpenFlowHandshakeHandler.OF13,
                        config.overlayPortName(), config.switching().trustedPorts(), config.switching().infrastructurePorts(),
                        () -> System.nanoTime() / 1_000_000,
                        link, context -> SwitchManagers.build(context, config, overlay)));
            }

            @Override
            public void detach(DatapathId dpid, SwitchLink.Writer writer) {
                SwitchLink link = links.get(dpid);
                if (link != null) {
                    link.detach(writer);
                }
            }
        };
    }

    /** Where the controller listens over TCP (useful when it was asked for port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public ControllerStatus status() {
        List<SwitchSessionHandler> live = List.copyOf(sessions.values());
        List<SwitchSessionHandler.Snapshot> snapshots = live.stream().map(s -> s.snapshot).toList();
        Map<String, Long> named = new TreeMap<>();
        snapshots.forEach(s -> s.counters().forEach((name, value) -> named.merge(name, value, Long::sum)));
        named.put("packet_outs", counters.packetOuts.sum());
        return new ControllerStatus(
                live.stream().map(s -> s.dpid().toString()).sorted().toList(),
                snapshots.stream().mapToInt(SwitchSessionHandler.Snapshot::overlayPort).max().orElse(-1),
                named.getOrDefault(ControllerStatus.LEARNED_MACS, 0L).intValue(),
                counters.packetIns.sum(), counters.flowMods.sum(), counters.malformed.sum(),
                counters.badVersion.sum(), counters.switchErrors.sum(), counters.handshakes.sum(),
                snapshots.stream().mapToInt(s -> Math.max(0, s.flows())).sum(),
                snapshots.stream().mapToInt(s -> Math.max(0, s.groups())).sum(),
                snapshots.stream().mapToInt(s -> Math.max(0, s.meters())).sum(),
                named, snapshots.stream().map(SwitchSessionHandler.Snapshot::dhcp).filter(d -> d != null).findFirst()
                        .orElse(null));
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
