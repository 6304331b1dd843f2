package io.ringswitch.overlay;

import io.netty.channel.EventLoop;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.group.CertificateMetrics;
import io.ringswitch.overlay.group.CertificateRenewer;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.group.RenewalClient;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.secure.SecureLinkHandler;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.SignedDhtRecords;
import io.ringswitch.overlay.security.SourceSignatures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node proves with its certificate, and where: it loads the identity (the files must load
 * and pass, or the node does not start), signs the ring's routed messages and DHT records with it
 * (issue 18), and renews a short-lived certificate through the group server when the config names
 * one (issue 19), proving the renewed one from then on everywhere. A node without a certificate has
 * none of this: plaintext links, unsigned messages and records.
 */
final class NodeCredentials implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeCredentials.class);

    private final NodeConfig config;
    private final NodeIdentity identity;
    private final NodeMetrics metrics;
    private SourceSignatures sourceSignatures;
    private SignedDhtRecords signedRecords;
    private NodeRevocations revocations;
    private CertificateRenewer renewer;
    private ExecutorService renewalThread;
    /** Told of each renewed certificate on the node's event loop: parts that sign with it beyond the ring's own. */
    private final List<Consumer<NodeIdentity>> renewedListeners = new CopyOnWriteArrayList<>();

    private NodeCredentials(NodeConfig config, NodeIdentity identity, NodeMetrics metrics) {
        this.config = config;
        this.identity = identity;
        this.metrics = metrics;
    }

    /**
     * The node's credentials from its config, their figures in {@code metrics}; the exception names
     * the file and the reason.
     */
    static NodeCredentials load(NodeConfig config, NodeMetrics metrics) throws IOException {
        NodeCredentials c = new NodeCredentials(config, identity(config), metrics);
        if (c.identity != null) {
            c.revocations = NodeRevocations.load(c.identity, Path.of(config.identity().key()), metrics);
            c.onRenewed(c.revocations::renewed);
        }
        return c;
    }

    /** The node's revocations (issue 19); null for a node without a certificate. */
    NodeRevocations revocations() {
        return revocations;
    }

    /** The identity, or null for a node without a certificate. */
    NodeIdentity identity() {
        return identity;
    }

    /**
     * Routed messages and broadcasts carry the source's signature, checked where they end and, for
     * broadcasts, at every hop; DHT records are signed and owned. Every routed message carries the
     * source's certificate: {@link SourceSignatures#introduceOnce} (the certificate once per
     * destination) stays off, because a destination that restarted lost the certificates it was
     * given and refuses the next message from every source that introduced itself before (a lost
     * ping after a restart in SixSiteRingTest). On the ring's event loop.
     */
    void sign(RingNode ring) {
        if (identity == null) {
            log.warn("no identity: DHT records are unsigned and unowned (a plaintext lab; any node may replace any value)");
            return;
        }
        sourceSignatures = new SourceSignatures(identity, Instant::now, ring.metrics());
        signedRecords = new SignedDhtRecords(identity, System::currentTimeMillis);
        ring.authenticate(sourceSignatures);
        ring.dht().useRecords(signedRecords);
    }

    /** Refuses revoked members in every check: handshakes, routed and broadcast sources, DHT records. */
    void enforceRevocations(SecureLinkHandler security) {
        if (revocations != null && security != null && sourceSignatures != null) {
            revocations.enforceIn(security, sourceSignatures, signedRecords);
        }
    }

    /**
     * Renews a short-lived certificate through the group server when the config names one
     * ({@code renewal:}, written by {@code ringswitch enrol}); new handshakes, signed messages and
     * records prove the renewed one. Either way the certificate's figures go into the registry.
     */
    void startRenewal(Scheduler scheduler, SecureLinkHandler security, EventLoop loop) {
        if (identity == null) {
            return;
        }
        if (config.renewal() == null || security == null) {
            CertificateMetrics.register(metrics, CertificateMetrics.fixed(() -> identity.certificate().notAfter()),
                    Clock.systemUTC());
            return;
        }
        renewalThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "certificate-renewal");
            t.setDaemon(true);
            return t;
        });
        renewer = new CertificateRenewer(identity, new RenewalClient(config.renewal().server(), config.renewal().serverSha256()),
                Path.of(config.identity().certificate()), scheduler, renewalThread, next -> {
                    security.renewIdentity(next);
                    loop.execute(() -> {
                        if (sourceSignatures != null) {
                            sourceSignatures.renew(next);
                            signedRecords.renew(next);
                        }
                        renewedListeners.forEach(listener -> listener.accept(next));
                    });
                }, Clock.systemUTC(), metrics);
        renewer.start();
    }

    /**
     * Tells {@code listener}, on the node's event loop, of every certificate renewed from now on (a
     * private overlay signs its records on the public ring with it, issue 19).
     */
    void onRenewed(Consumer<NodeIdentity> listener) {
        renewedListeners.add(listener);
    }

    @Override
    public void close() {
        if (revocations != null) {
            revocations.close();
        }
        if (renewer != null) {
            renewer.close();
            renewalThread.shutdownNow();
        }
    }

    private static NodeIdentity identity(NodeConfig config) throws IOException {
        NodeConfig.Identity id = config.identity();
        if (id == null) {
            log.warn("node {} has no certificate (identity: in its config): its links are NOT authenticated or encrypted, "
                    + "and its ring address comes from its name", config.name());
            return null;
        }
        NodeIdentity identity;
        if (Boolean.getBoolean("ringswitch.identity.unverified")) {
            log.warn("node {}: ringswitch.identity.unverified is set: the node's own certificate is NOT checked "
                    + "(for the security demo's deliberately bad nodes only)", config.name());
            identity = NodeIdentity.loadUnverified(Path.of(id.certificate()), Path.of(id.key()), Path.of(id.ca()));
        } else {
            identity = NodeIdentity.load(Path.of(id.certificate()), Path.of(id.key()), Path.of(id.ca()), Instant.now());
        }
        if (!identity.certificate().name().equals(config.name())) {
            throw new IOException(id.certificate() + ": the certificate is for node " + identity.certificate().name()
                    + ", but this node is " + config.name());
        }
        log.info("node {}: certificate of group {} valid until {}", config.name(), identity.certificate().group(),
                identity.certificate().notAfter());
        return identity;
    }
}
