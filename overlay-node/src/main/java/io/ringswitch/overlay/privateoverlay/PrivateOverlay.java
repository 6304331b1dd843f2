package io.ringswitch.overlay.privateoverlay;

import io.ringswitch.overlay.api.NatConfig;
import io.ringswitch.overlay.secure.SessionSettings;
import io.netty.channel.EventLoop;
import io.ringswitch.overlay.EventLoopScheduler;
import io.ringswitch.overlay.api.Endpoints;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.PublicRingConfig;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.underlay.UnderlayTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's private overlay (issue 19): its own ring is its group's, and this part makes it a member
 * of a public ring too ({@link StandaloneRing}, under the public CA's certificate) only to find
 * the group's other members there ({@link PublicDiscovery}). Frames never touch the public ring.
 * Its figures, and the public ring node's, are in the node's registry ({@link PrivateOverlayMetrics}).
 */
public final class PrivateOverlay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PrivateOverlay.class);

    private final StandaloneRing publicRing;
    private final PublicDiscovery discovery;

    private PrivateOverlay(StandaloneRing publicRing, PublicDiscovery discovery) {
        this.publicRing = publicRing;
        this.discovery = discovery;
    }

    /**
     * Joins the public ring of {@code config} on a loop of {@code underlay} (the loop that owns
     * {@code privateRing}) and starts finding the members of {@code group}'s group; the exception
     * names a public credential that does not load or pass. {@code underlay}'s loops must be
     * {@code privateLoop} alone (one thread owns both ring nodes).
     */
    public static PrivateOverlay start(PublicRingConfig config, NatConfig nat, NodeIdentity group, RingNode privateRing,
                                       EventLoop privateLoop, UnderlayTransport underlay) throws IOException, InterruptedException {
        NodeConfig.Identity id = config.identity();
        NodeIdentity publicIdentity = NodeIdentity.load(Path.of(id.certificate()), Path.of(id.key()), Path.of(id.ca()),
                Instant.now());
        if (publicIdentity.ca().equals(group.ca())) {
            throw new IOException("public.identity.ca is the group's own CA: the public ring must be another ring");
        }
        List<java.net.InetSocketAddress> bootstrap = config.bootstrap().stream().map(Endpoints::parse).toList();
        StandaloneRing ring = StandaloneRing.start(publicIdentity, Endpoints.parse(config.listen()), bootstrap, underlay,
                SessionSettings.of(nat), NodeMetrics.inProcess());
        if (ring.loop() != privateLoop) {
            ring.close();
            throw new IllegalStateException("the public ring's loop is not the private ring's: one thread must own both");
        }
        NodeMetrics recordsMetrics = NodeMetrics.inProcess();
        GroupRecords records = new GroupRecords(group, System::currentTimeMillis, recordsMetrics);
        PublicDiscovery discovery = new PublicDiscovery(ring.ring(), privateRing, records, new EventLoopScheduler(ring.loop()),
                config.readSeconds() * 1000L, derLength(publicIdentity), privateRing.metrics());
        PrivateOverlayMetrics.register(privateRing.metrics(), discovery, ring.loop(), recordsMetrics, ring.metrics());
        ring.loop().submit(discovery::start).sync();
        log.info("private overlay of group {}: member {} of the public ring (group {}) on {}, meeting under {}",
                group.certificate().group(), publicIdentity.certificate().address().shortString(),
                publicIdentity.certificate().group(), Endpoints.format(ring.endpoint()), records.key());
        return new PrivateOverlay(ring, discovery);
    }

    /** Signs this member's records with {@code renewed}, the group certificate's renewal, from now on; on the event loop. */
    public void renew(NodeIdentity renewed) {
        discovery.renew(renewed);
    }

    private static int derLength(NodeIdentity identity) throws IOException {
        try {
            return identity.certificate().certificate().getEncoded().length;
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException("the public certificate does not encode: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            publicRing.loop().submit(discovery::stop).await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publicRing.close();
    }
}
