package io.ringswitch.overlay;

import io.ringswitch.overlay.secure.SessionSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.ringswitch.controller.OpenFlowController;
import io.ringswitch.controller.api.ControllerConfig;
import io.ringswitch.overlay.api.Endpoints;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.control.ControlSocket;
import io.ringswitch.overlay.forwarding.DhtAddressPool;
import io.ringswitch.overlay.forwarding.DhtDirectory;
import io.ringswitch.overlay.forwarding.DhtMulticastDirectory;
import io.ringswitch.overlay.forwarding.DhtNameDirectory;
import io.ringswitch.overlay.forwarding.FrameForwarder;
import io.ringswitch.overlay.forwarding.RingFrameSender;
import io.ringswitch.overlay.forwarding.RoutedFrameRefusal;
import io.ringswitch.overlay.forwarding.RingMulticast;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.dht.DhtConfig;
import io.ringswitch.overlay.dashboard.DashboardRoutes;
import io.ringswitch.overlay.metrics.OperatorServer;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.privateoverlay.PrivateOverlay;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.secure.SecureLinkHandler;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.tap.TapDevice;
import io.ringswitch.overlay.tap.TapPort;
import io.ringswitch.overlay.tap.TapQueueDrops;
import io.ringswitch.overlay.underlay.DatagramDecoder;
import io.ringswitch.overlay.underlay.TcpLinks;
import io.ringswitch.overlay.underlay.UdpTransport;
import io.ringswitch.overlay.underlay.UnderlayChannelInitializer;
import io.ringswitch.overlay.underlay.UnderlayTransport;
import io.ringswitch.overlay.underlay.WireFormat;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One site's RingSwitch node: wires the switch controller, the overlay port ({@link TapPort}),
 * the UDP pipeline ({@link UnderlayChannelInitializer}), the ring node and the frame forwarder
 * together, and writes the status file. The ring and the forwarder live on one Netty event loop.
 */
public final class OverlayNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OverlayNode.class);
    static final long TICK_MILLIS = 1000;
    /** The MTU hosts usually keep: the overlay port takes frames this large at least. */
    static final int HOST_MTU = 1500;
    /** A TCP link with neither reads nor writes this long closes. */
    static final long TCP_IDLE_SECONDS = 60;

    private final NodeConfig config;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private DatagramDecoder decoder;
    private SecureLinkHandler security;
    private TcpLinks tcp;
    private OpenFlowController controller;
    private TapDevice tap;
    private TapPort tapPort;
    private OvsPort ovsPort;
    private OvsBufferTuning ovsBuffers;
    private UnderlayTransport underlay;
    private EventLoopGroup group;
    private EventLoop loop;
    private Channel udp;
    private UdpTransport transport;
    private FrameForwarder forwarder;
    private RingNode ring;
    /** Turns the parts into the status record, once they are all up. */
    private NodeSnapshot snapshot;
    /** Writes the status file off the loop; null when the config names none. */
    private StatusFileWriter statusFile;
    /** Set once the socket it sends on is bound; read on the event loop, which may take datagrams before. */
    private volatile FramePath frames;
    private FormerNeighbours former;
    private FullTunnel tunnel;
    /** The test hook that records what this node can read of the ring's routing; null (off) unless asked for. */
    private PayloadRecorder recorder;
    private NodeCredentials credentials;
    private NodeIdentity identity;
    /** The public ring this node finds its group's members through, or null (its ring is found by its bootstrap list). */
    private PrivateOverlay privateOverlay;
    /** The control socket of {@code ringswitch status} and {@code ping}. */
    private ControlSocket control;
    /** The node's metrics, which the status file and the operator's endpoint both read. */
    private final NodeMetrics metrics;
    /** The operator's HTTP endpoint, or null (off, or its address was taken). */
    private OperatorServer operator;

    private OverlayNode(NodeConfig config, NodeMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** Starts a node among others in this JVM (no JVM metrics); see {@link #start(NodeConfig, boolean)}. */
    public static OverlayNode start(NodeConfig config) throws IOException, InterruptedException {
        return start(config, false);
    }

    /**
     * Starts every part; on failure, stops what had started and throws with the reason.
     *
     * @param ownsJvm whether this node is the process (its metrics then include the JVM's)
     */
    public static OverlayNode start(NodeConfig config, boolean ownsJvm) throws IOException, InterruptedException {
        OverlayNode node = new OverlayNode(config, ownsJvm ? NodeMetrics.ofProcess() : NodeMetrics.inProcess());
        try {
            node.startParts();
            return node;
        } catch (IOException | InterruptedException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private void startParts() throws IOException, InterruptedException {
        // The identity first: a node with files that do not pass starts nothing.
        credentials = NodeCredentials.load(config, metrics);
        identity = credentials.identity();
        RingAddress address = identity == null ? RingAddress.ofName(config.name()) : identity.certificate().address();
        if (identity != null) {
            security = new SecureLinkHandler(identity, SessionSettings.of(config.nat()), new SecureRandom(), metrics);
        }
        decoder = new DatagramDecoder(security != null, metrics);
        ovsPort = new OvsPort(config.bridge(), config.tap().name());
        boolean offloads = config.tap().offloadsOn();
        if (offloads && !ovsPort.takesSuperFrames()) {
            log.warn("bridge {} runs the userspace datapath without userspace-tso-enable=true: TAP offloads off "
                    + "(set it with ovs-vsctl set Open_vSwitch . other_config:userspace-tso-enable=true and restart "
                    + "ovs-vswitchd to move TCP in 64 KB super-frames)", config.bridge().name());
            offloads = false;
        }
        // The port takes what hosts left at 1500 send; the forwarder answers what the overlay
        // cannot carry with ICMP "too big", so their path MTU discovery finds the overlay's MTU.
        tap = TapDevice.open(config.tap().name(), Math.max(config.tap().mtu(), HOST_MTU), offloads);
        ovsPort.add();
        if (ovsPort.userspaceDatapath()) {
            ovsBuffers = OvsBufferTuning.start();
        }
        underlay = UnderlayTransport.choose(true, config.tap().busyPollOrOff());
        group = underlay.group();
        loop = group.next();
        if (config.nat() == null || config.nat().tcp() == null || config.nat().tcp()) {
            tcp = new TcpLinks(underlay.epoll(), TCP_IDLE_SECONDS, metrics);
        }
        udp = underlay.bind(config.listenAddress(),
                new UnderlayChannelInitializer(tcp, security, decoder, new UnderlayReceiver(() -> ring, () -> frames)));
        transport = security == null ? new UdpTransport(udp, underlay.gso())
                : new UdpTransport(udp, underlay.gso(), SecureLinkHandler.LEAD, SecureLinkHandler.TAIL);
        InetSocketAddress endpoint = (InetSocketAddress) udp.localAddress();
        if (tcp != null) {
            // The same address and port as UDP, so that a peer's contact names both. Without the
            // listener the node still dials TCP links; it only cannot be dialled.
            try {
                tcp.listen(endpoint);
            } catch (Exception e) {
                log.warn("cannot listen for TCP links on {}: {}; dialling them only", Endpoints.format(endpoint), e.toString());
            }
        }
        EventLoopScheduler scheduler = new EventLoopScheduler(loop);
        // Message ids and shortcut draws need no secrecy; a SecureRandom per frame cost a lock and
        // a read of /dev/urandom.
        ring = new RingNode(new Contact(address, endpoint), config.ringConfig(), DhtConfig.defaults(), scheduler, transport,
                new Random(new SecureRandom().nextLong()), metrics);
        RingGauges.register(metrics, ring, loop);
        credentials.sign(ring);
        credentials.enforceRevocations(security);
        recorder = PayloadRecorder.fromSystemProperty(address);
        if (recorder != null) {
            ring.observeRouted(recorder);
        }
        credentials.startRenewal(scheduler, security, loop);
        frames = new FramePath(ring, transport, recorder, alloc, tap.offloads());
        forwarder = new FrameForwarder(frames::toPort, alloc, scheduler::nowMillis, config.tap().mtu(), metrics);
        if (security == null) {
            ring.register(PayloadTypes.FRAME, forwarder);
        } else {
            // Frames for a site come sealed end to end (PayloadTypes.SEALED) or over a link: a
            // routed FRAME message names a source nobody proved, so only broadcasts come that way.
            ring.register(PayloadTypes.FRAME, new RoutedFrameRefusal(forwarder, ring.counters()));
            ring.register(PayloadTypes.SEALED, m -> security.fromRing(m.from(), m.payload()));
        }
        frames.attach(forwarder);
        RingFrameSender sender = new RingFrameSender(ring, transport, alloc, security != null);
        forwarder.attach(sender);
        // Wall-clock time only marks when a host was published, so that the newest site wins.
        DhtDirectory directory = new DhtDirectory(ring.dht(), address, System::currentTimeMillis);
        forwarder.attach((FrameForwarder.MacDirectory) directory);
        DhtMulticastDirectory groups = new DhtMulticastDirectory(ring.dht(), address, metrics);
        forwarder.attach(new RingMulticast(alloc, scheduler::nowMillis, address, groups, () -> sender, metrics));
        // The group names the gateway records' key and, unless configured, the DNS domain.
        String group = identity == null ? "ringswitch" : identity.certificate().group();
        FullTunnel.warnWithoutRole(config, identity);
        tunnel = FullTunnel.of(config, ring, scheduler, group);
        DhtNameDirectory names = new DhtNameDirectory(ring.dht(), address, config.dns().domainOr(group), metrics);
        SwitchServices.Wired services = SwitchServices.of(loop, directory,
                config.dhcp() == null ? null : new DhtAddressPool(ring.dht(), directory), groups, tunnel.chooser(), names,
                forwarder::knownRemoteMacs);
        forwarder.attach(services.remoteMacs());
        if (credentials.revocations() != null) {
            credentials.revocations().start(config, group, ring, loop, forwarder::forgetSite);
        }
        // A node with a key keeps the hosts it bound beside it, as it keeps its near neighbours: after
        // a restart the controller binds them at once and asks the directory after (RememberedHosts).
        var overlay = identity == null ? services.services() : services.services()
                .withBoundHosts(new BoundHostFile(Path.of(config.identity().key()).resolveSibling("bound-hosts")));
        controller = new OpenFlowController(ControllerConfig.of(config.controllerAddress(), config.tap().name(),
                NodeSwitchSettings.of(config, address)), new BridgeLog(config.bridge().name()), overlay);
        controller.start();
        snapshot = new NodeSnapshot(config.name(), metrics, ring, scheduler, forwarder, underlay, tap, controller, security);
        OpenFlowController started = controller;
        new OvsControllerDialIn(config.bridge(), config.controller(), () -> !started.status().switches().isEmpty()).start();
        ControllerMetrics.register(metrics, controller);
        if (config.dhcp() != null) {
            log.info("DHCP: the controller answers as {} with leases from {} ({} s), shared by every site",
                    config.dhcp().server(), config.dhcp().pool(), config.dhcp().leaseSeconds());
        }
        // A node with a key keeps its address across restarts: it asks its former near
        // neighbours for its links back before joining through a bootstrap node.
        List<Contact> formerNear = List.of();
        if (identity != null) {
            former = new FormerNeighbours(Path.of(config.identity().key()).resolveSibling("near-neighbours"));
            formerNear = former.read();
            if (!formerNear.isEmpty()) {
                log.info("asking {} former near neighbours for their links back", formerNear.size());
            }
        }
        List<Contact> relink = formerNear;
        loop.submit(() -> {
            if (security != null) {
                security.joinRing(ring);
            }
            ring.start(config.bootstrapAddresses(), relink);
            tunnel.start();
        }).sync();
        if (config.publicRing() != null) {
            privateOverlay = PrivateOverlay.start(config.publicRing(), config.nat(), identity, ring, loop, underlay);
            credentials.onRenewed(privateOverlay::renew);
        }
        log.info("node {} ({}) on UDP {}{} ({}{}, {}), joining through {}", config.name(), address, Endpoints.format(endpoint),
                tcp == null ? "" : " and TCP",
                underlay.name(), underlay.gso() ? ", GSO" : "",
                security == null ? "PLAINTEXT links" : "links authenticated and encrypted (Noise XX, AES-256-GCM)",
                config.bootstrap().isEmpty() ? (privateOverlay != null ? "the members found on the public ring"
                        : "nobody (first node of a new ring)") : config.bootstrap());
        // The echo registers on the ring, whose state the loop owns.
        NodeControlService service;
        try {
            service = loop.submit(() -> new NodeControlService(this, ring, scheduler, loop, directory, security,
                    config.name())).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set up the control socket's service", e.getCause());
        }
        control = ControlSocket.open(Path.of(config.controlSocket()), service, metrics);
        tapPort = TapPort.start(tap, alloc, WireFormat.HEADROOM, tap.mtu() + 18, WireFormat.TAILROOM, loop,
                frames::fromPort);
        frames.attach(tapPort);
        DataPathMetrics.register(metrics, frames, tapPort, new TapQueueDrops(tap.name()));
        if (config.statusFile() != null) {
            statusFile = new StatusFileWriter(Path.of(config.statusFile()));
        }
        loop.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        operator = OperatorServer.startOrWarn(config.operatorOrDefault(), metrics);
        if (operator != null) {
            DashboardRoutes.install(operator::install, () -> {
                try {
                    return status();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the node's status", e);
                }
            });
        }
    }

    /** The operator's HTTP endpoint ({@code /metrics} and the dashboard), null when off. */
    public OperatorServer operator() {
        return operator;
    }

    /** The node's metrics. */
    public NodeMetrics metrics() {
        return metrics;
    }

    private void tick() {
        forwarder.expire();
        if (former != null && ring.isConnected()) {
            former.write(ring.nearContacts());
        }
        if (statusFile != null) {
            statusFile.offer(snapshot.take());
        }
    }

    /** A snapshot taken on the event loop. */
    public NodeStatus status() throws InterruptedException {
        try {
            return loop.submit(snapshot::take).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("node did not answer for its status", e);
        }
    }

    @Override
    public void close() {
        if (control != null) {
            control.close();
        }
        if (operator != null) {
            operator.close();
        }
        if (credentials != null) {
            credentials.close();
        }
        if (privateOverlay != null) {
            privateOverlay.close();
        }
        if (ring != null && loop != null) {
            try {
                loop.submit(() -> {
                    if (tunnel != null) {
                        tunnel.stop();
                    }
                    ring.stop(true);
                }).await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (tapPort != null) {
            tapPort.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (statusFile != null) {
            statusFile.close();
        }
        if (ovsBuffers != null) {
            ovsBuffers.close();
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
        if (tunnel != null) {
            tunnel.undo();
        }
        if (controller != null) {
            controller.close();
        }
        if (recorder != null) {
            recorder.close();
        }
        log.info("node {} stopped", config.name());
    }
}
