package io.ringswitch.overlay;

import io.ringswitch.overlay.api.RevocationConfig;
import io.netty.channel.EventLoop;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.group.CrlSource;
import io.ringswitch.overlay.revocation.CrlFetcher;
import io.ringswitch.overlay.revocation.RevocationGossip;
import io.ringswitch.overlay.revocation.RevocationInbox;
import io.ringswitch.overlay.ring.RingAddress;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in revocation (issue 19), wired: the set of revoked members kept in its state
 * directory (the directory of its key), which every check consults; the ways records come in (the
 * group server's CRL, the ring broadcast and the DHT, {@code ringswitch revoke}'s files); and what
 * a new record does at once, on the event loop: the member's sessions close, its link goes, the
 * DHT drops its records and the forwarder forgets its MACs (so the controller removes their
 * flows), and the record is handed on by the other ways.
 */
final class NodeRevocations implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeRevocations.class);
    /** How often the state directory is looked at for files of {@code ringswitch revoke}. */
    static final long INBOX_MILLIS = 1000;

    private final Revocations revocations;
    private final Path stateDirectory;
    private RevocationGossip gossip;
    private CrlFetcher fetcher;
    private RevocationInbox inbox;
    private SecureLinkHandler security;
    private long sessionsClosedFor;

    private NodeRevocations(Revocations revocations, Path stateDirectory) {
        this.revocations = revocations;
        this.stateDirectory = stateDirectory;
    }

    /** The revocations remembered in the state directory of {@code identity}'s key file. */
    static NodeRevocations load(NodeIdentity identity, Path keyFile) throws IOException {
        Path dir = keyFile.toAbsolutePath().getParent();
        return new NodeRevocations(Revocations.load(identity.ca(), dir.resolve(Revocations.FILE)), dir);
    }

    Revocations revocations() {
        return revocations;
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
            fetcher = new CrlFetcher(new CrlSource(crl.server(), crl.serverSha256())::fetch, revocations.caCertificate(),
                    revocations, Clock.systemUTC());
            fetcher.start(TimeUnit.SECONDS.toMillis(crl.intervalSeconds()));
            log.info("fetching the group's CRL from {}/crl every {} s", crl.server(), crl.intervalSeconds());
        }
        inbox = new RevocationInbox(stateDirectory, revocations);
        inbox.start(INBOX_MILLIS);
    }

    private void enforce(RevocationRecord record, Revocations.Source source, RingNode ring, Consumer<RingAddress> forgetSite) {
        if (security != null) {
            sessionsClosedFor += security.closeRevoked(revocations);
        }
        ring.revoked(record.address());
        forgetSite.accept(record.address());
        gossip.revoked(record, source);
    }

    /** The status section; on the loop. */
    NodeStatus.RevocationStats status() {
        Map<String, Long> refused = new LinkedHashMap<>(revocations.refusals());
        if (fetcher != null) {
            refused.putAll(fetcher.refusals());
        }
        return new NodeStatus.RevocationStats(revocations.size(), security == null ? sessionsClosedFor
                : security.revokedPeersClosed(), fetcher == null ? 0 : fetcher.fetched(), refused);
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
