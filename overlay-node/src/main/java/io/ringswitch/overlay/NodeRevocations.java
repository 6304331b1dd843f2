package io.ringswitch.overlay;

import io.ringswitch.overlay.api.RevocationConfig;
import io.netty.channel.EventLoop;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.group.CrlSource;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.group.RingReporter;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.revocation.CrlFetcher;
import io.ringswitch.overlay.revocation.RevocationGossip;
import io.ringswitch.overlay.revocation.RevocationInbox;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.secure.SecureLinkHandler;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.RevocationRecord;
import io.ringswitch.overlay.security.Revocations;
import io.ringswitch.overlay.security.SignedDhtRecords;
import io.ringswitch.overlay.security.SourceSignatures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in revocation (issue 19), wired: the set of revoked members kept in its state
 * directory (the directory of its key), which every check consults; the ways records come in (the
 * group server's CRL, the ring broadcast and the DHT, {@code ringswitch revoke}'s files); and what
 * a new record does at once, on the event loop: the member's sessions close, its link goes, the
 * DHT drops its records and the forwarder forgets its MACs (so the controller removes their
 * flows), and the record is handed on by the other ways. With each CRL fetch the node also
 * reports its live peers to the group server, signed with its current key ({@link RingReporter}):
 * the members page's "online from the ring's view". Everything it and its parts count is in the
 * node's registry ({@link RevocationMetrics} reads the status section from there).
 */
final class NodeRevocations implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeRevocations.class);
    /** How often the state directory is looked at for files of {@code ringswitch revoke}. */
    static final long INBOX_MILLIS = 1000;

    private final Revocations revocations;
    private final Path stateDirectory;
    /** The node's identity, the renewed one once renewed: ring reports are signed with it. */
    private volatile NodeIdentity identity;
    /** Ring reports the group server did not take (or that could not be sent). */
    static final CounterKey REPORTS_FAILED = CounterKey.of("ringswitch_ring_reports_total",
            "Reports of this node's live peers to the group server, by outcome.", "outcome", "failed");
    private final NodeMetrics metrics;
    private final CounterDataPoint reportsFailed;
    private RevocationGossip gossip;
    private CrlFetcher fetcher;
    private RevocationInbox inbox;
    private SecureLinkHandler security;

    private NodeRevocations(Revocations revocations, Path stateDirectory, NodeIdentity identity, NodeMetrics metrics) {
        this.revocations = revocations;
        this.stateDirectory = stateDirectory;
        this.identity = identity;
        this.metrics = metrics;
        this.reportsFailed = REPORTS_FAILED.in(metrics);
        RevocationMetrics.register(metrics, revocations);
    }

    /** The revocations remembered in the state directory of {@code identity}'s key file, counted in {@code metrics}. */
    static NodeRevocations load(NodeIdentity identity, Path keyFile, NodeMetrics metrics) throws IOException {
        Path dir = keyFile.toAbsolutePath().getParent();
        return new NodeRevocations(Revocations.load(identity.ca(), dir.resolve(Revocations.FILE), metrics), dir, identity,
                metrics);
    }

    Revocations revocations() {
        return revocations;
    }

    /** From now on ring reports prove {@code next}, the renewed identity. */
    void renewed(NodeIdentity next) {
        identity = next;
    }

    /** The checks that refuse revoked members: handshakes, routed and broadcast sources, DHT records. */
    void enforceIn(SecureLinkHandler security, SourceSignatures sources, SignedDhtRecords records) {
        this.security = security;
        security.revocations(revocations);
        sources.revocations(revocations);
        records.revocations(revocations);
    }

    /**
     * Starts taking and handing on records: the ring's broadcast and DHT, the CRL when the config
     * names a server, the state directory's inbox. {@code forgetSite} withdraws a revoked site's
     * MACs from the forwarder (on the loop).
     */
    void start(NodeConfig config, String group, RingNode ring, EventLoop loop, Consumer<RingAddress> forgetSite) {
        gossip = new RevocationGossip(ring, revocations, group, new Random());
        revocations.listen((record, source) -> loop.execute(() -> enforce(record, source, ring, forgetSite)));
        loop.execute(() -> ring.register(PayloadTypes.REVOCATION, gossip));
        loop.scheduleAtFixedRate(() -> gossip.tick(TimeUnit.NANOSECONDS.toMillis(System.nanoTime())), 1, 1, TimeUnit.SECONDS);
        RevocationConfig crl = config.crlSource();
        if (crl != null) {
            CrlSource source = new CrlSource(crl.server(), crl.serverSha256());
            RingReporter reporter = new RingReporter(crl.server(), crl.serverSha256(), crl.intervalSeconds());
            fetcher = new CrlFetcher(source::fetch, revocations.caCertificate(), revocations, Clock.systemUTC(), metrics);
            fetcher.afterEachFetch(() -> report(reporter, ring, loop));
            fetcher.start(TimeUnit.SECONDS.toMillis(crl.intervalSeconds()));
            log.info("fetching the group's CRL from {}/crl every {} s", crl.server(), crl.intervalSeconds());
        }
        inbox = new RevocationInbox(stateDirectory, revocations);
        inbox.start(INBOX_MILLIS);
    }

    /**
     * Tells the group server which peers this node has live (routable) links to; on the fetch's
     * thread, the links read on the loop. A failure is counted and logged, and the CRL still counts.
     */
    private void report(RingReporter reporter, RingNode ring, EventLoop loop) {
        try {
            List<RingAddress> peers = loop.submit(() -> ring.links().stream().filter(Link::routable).map(Link::address).toList())
                    .get(5, TimeUnit.SECONDS);
            // Wall-clock time: the server judges the report's age by its own clock.
            reporter.report(identity, peers, Instant.now());
        } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
            long n = Metrics.incremented(reportsFailed);
            if (Long.bitCount(n) == 1) {
                log.warn("ring report to the group server not accepted: {} ({} so far)", e.getMessage(), n);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void enforce(RevocationRecord record, Revocations.Source source, RingNode ring, Consumer<RingAddress> forgetSite) {
        if (security != null) {
            security.closeRevoked(revocations);
        }
        ring.revoked(record.address());
        forgetSite.accept(record.address());
        gossip.revoked(record, source);
    }

    @Override
    public void close() {
        if (fetcher != null) {
            fetcher.close();
        }
        if (inbox != null) {
            inbox.close();
        }
    }
}
