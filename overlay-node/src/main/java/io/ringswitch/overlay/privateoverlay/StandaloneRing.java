package io.ringswitch.overlay.privateoverlay;

import io.ringswitch.overlay.secure.SessionSettings;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.ringswitch.overlay.EventLoopScheduler;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.dht.DhtConfig;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.secure.SecureLinkHandler;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.SignedDhtRecords;
import io.ringswitch.overlay.security.SourceSignatures;
import io.ringswitch.overlay.underlay.DatagramDecoder;
import io.ringswitch.overlay.underlay.InboundFrame;
import io.ringswitch.overlay.underlay.InboundMessage;
import io.ringswitch.overlay.underlay.RingInboundHandler;
import io.ringswitch.overlay.underlay.UdpTransport;
import io.ringswitch.overlay.underlay.UnderlayChannelInitializer;
import io.ringswitch.overlay.underlay.UnderlayTransport;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ring node on its own UDP socket behind the secure link layer, that carries no frames: links
 * authenticated under {@code identity}'s CA (Noise XX), routed messages signed by their source,
 * DHT records signed and owned. A private overlay's node is one of these on the public ring, beside
 * its own ring, in the same process and on the same event loop; tests also stand up private and
 * public members this way, without a bridge or an overlay port. Its parts count in one registry of
 * its own ({@link #metrics}), which a private overlay's node shows beside its own figures under
 * {@code ringswitch_public_...}.
 */
public final class StandaloneRing implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandaloneRing.class);

    /** Frames that came over a link of this ring, which carries none: dropped. */
    static final CounterKey FRAMES_DROPPED = CounterKey.refused("frames", "no-port");
    private final Channel channel;
    private final RingNode ring;
    private final SecureLinkHandler security;
    private final NodeMetrics metrics;
    private final CounterDataPoint framesDropped;

    private StandaloneRing(Channel channel, RingNode ring, SecureLinkHandler security, NodeMetrics metrics) {
        this.channel = channel;
        this.ring = ring;
        this.security = security;
        this.metrics = metrics;
        this.framesDropped = FRAMES_DROPPED.in(metrics);
    }

    /**
     * Binds {@code listen} on a loop of {@code underlay}, starts the ring node there and joins
     * through {@code bootstrap} (none: the first node of a new ring). Returns once started.
     */
    public static StandaloneRing start(NodeIdentity identity, InetSocketAddress listen, List<InetSocketAddress> bootstrap,
                                       UnderlayTransport underlay, SessionSettings settings)
            throws InterruptedException {
        return start(identity, listen, bootstrap, underlay, settings, NodeMetrics.inProcess());
    }

    /** As above, its parts counting in {@code metrics}, a registry of this ring node's own. */
    public static StandaloneRing start(NodeIdentity identity, InetSocketAddress listen, List<InetSocketAddress> bootstrap,
                                       UnderlayTransport underlay, SessionSettings settings, NodeMetrics metrics)
            throws InterruptedException {
        SecureLinkHandler security = new SecureLinkHandler(identity, settings, new SecureRandom(), metrics);
        DatagramDecoder decoder = new DatagramDecoder(true, metrics);
        // Datagrams that come before the ring node exists find nobody and are dropped.
        AtomicReference<StandaloneRing> self = new AtomicReference<>();
        Channel channel = underlay.bind(listen, new UnderlayChannelInitializer(security, decoder, new RingInboundHandler.Receiver() {
            @Override
            public void message(InboundMessage m) {
                StandaloneRing node = self.get();
                if (node != null) {
                    node.ring.onMessage(m.from(), m.message());
                }
            }

            @Override
            public void frame(InboundFrame f) {
                // Nothing on this ring has a port to write a frame to.
                f.frame().release();
                StandaloneRing node = self.get();
                if (node != null) {
                    long n = Metrics.incremented(node.framesDropped);
                    if (Long.bitCount(n) == 1) {
                        log.warn("frame from {} dropped on a ring that carries none ({} so far)", f.from(), n);
                    }
                }
            }

            @Override
            public void burstEnd() {
            }

            @Override
            public void pathChanged(RingAddress peer, PeerPath path) {
                StandaloneRing node = self.get();
                if (node != null) {
                    node.ring.pathChanged(peer, path);
                }
            }
        }));
        EventLoop loop = channel.eventLoop();
        UdpTransport transport = new UdpTransport(channel, underlay.gso(), SecureLinkHandler.LEAD, SecureLinkHandler.TAIL);
        RingNode ring = new RingNode(new Contact(identity.certificate().address(), (InetSocketAddress) channel.localAddress()),
                RingConfig.defaults(), DhtConfig.defaults(), new EventLoopScheduler(loop), transport,
                new Random(new SecureRandom().nextLong()), metrics);
        ring.authenticate(new SourceSignatures(identity, Instant::now, metrics));
        ring.dht().useRecords(new SignedDhtRecords(identity, System::currentTimeMillis));
        ring.register(PayloadTypes.SEALED, m -> security.fromRing(m.from(), m.payload()));
        self.set(new StandaloneRing(channel, ring, security, metrics));
        loop.submit(() -> {
            security.joinRing(ring);
            ring.start(bootstrap);
        }).sync();
        return self.get();
    }

    /** The ring node; touched on {@link #loop()} only. */
    public RingNode ring() {
        return ring;
    }

    /** The registry this ring node's parts count in. */
    public NodeMetrics metrics() {
        return metrics;
    }

    /** The thread that owns the ring node. */
    public EventLoop loop() {
        return channel.eventLoop();
    }

    /** The secure link layer: handshakes refused by reason, sessions. */
    public SecureLinkHandler security() {
        return security;
    }

    /** The endpoint the socket is bound to. */
    public InetSocketAddress endpoint() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Leaves the ring gracefully and closes the socket. */
    @Override
    public void close() {
        try {
            loop().submit(() -> ring.stop(true)).await(2, TimeUnit.SECONDS);
            channel.close().await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
