package io.ringswitch.overlay.group;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * {@code POST /api/report}: turns a member's signed {@link GroupApi.RingReport} of its live peers
 * into the store's ring view ({@link GroupStore#report}). Believed only when the certificate passes
 * against the group CA now, names the reporting address and group, the signature verifies with
 * its key (so nobody reports for another member, and nobody names a member online by forging its
 * peer's report), the timestamp is within {@link #MAX_AGE} of the server's clock, and the store
 * finds the member not revoked and the report newer than the last one it accepted (no replay).
 * Every refusal is a {@link GroupRefusal}: counted by reason and logged by the server.
 */
final class RingReports {
    /** Reports older than this (or this far ahead of the server's clock) are refused: a replay's window. */
    static final Duration MAX_AGE = Duration.ofMinutes(2);
    /** Most peers one report may name: a node keeps a few dozen links. */
    static final int MAX_PEERS = 200;
    /** Bounds on the CRL interval a report declares, which sets how long it stays fresh (three of them). */
    static final long MIN_INTERVAL_SECONDS = 1;
    static final long MAX_INTERVAL_SECONDS = 3600;

    private final GroupStore store;
    private final GroupCa ca;
    private final Clock clock;

    RingReports(GroupStore store, GroupCa ca, Clock clock) {
        this.store = store;
        this.ca = ca;
        this.clock = clock;
    }

    /** Checks and records {@code in}; the acknowledgement says when. */
    GroupApi.ReportAck accept(GroupApi.RingReport in) throws IOException, GroupRefusal {
        if (in.certificate() == null || in.group() == null || in.address() == null || in.peers() == null
                || in.signature() == null) {
            throw new GroupRefusal("report-malformed", "a report needs a certificate, group, address, peers and signature");
        }
        if (in.peers().size() > MAX_PEERS) {
            throw new GroupRefusal("report-malformed", "a report names at most " + MAX_PEERS + " peers");
        }
        if (in.intervalSeconds() < MIN_INTERVAL_SECONDS || in.intervalSeconds() > MAX_INTERVAL_SECONDS) {
            throw new GroupRefusal("report-malformed", "the CRL interval is outside " + MIN_INTERVAL_SECONDS + "-"
                    + MAX_INTERVAL_SECONDS + " s");
        }
        List<String> peers;
        try {
            RingAddress.parse(in.address());
            peers = in.peers().stream().map(p -> RingAddress.parse(p).toString()).distinct().toList();
        } catch (RuntimeException e) {
            throw new GroupRefusal("report-malformed", "a ring address in the report does not parse");
        }
        Instant now = clock.instant();
        X509Certificate certificate = EnrolmentApi.parseCertificate(in.certificate(), "report-certificate");
        NodeCertificate node;
        try {
            node = NodeCertificate.verify(certificate, ca.certificate(), now);
        } catch (NodeCertificate.CertificateRejected e) {
            throw new GroupRefusal("report-certificate", "the certificate is refused: " + e.getMessage());
        }
        if (!node.address().toString().equals(in.address()) || !node.group().equals(in.group())) {
            throw new GroupRefusal("report-identity", "the report's address or group is not its certificate's");
        }
        verifySignature(certificate, in);
        long age = now.toEpochMilli() - in.timestamp();
        if (Math.abs(age) > MAX_AGE.toMillis()) {
            throw new GroupRefusal("report-stale", "the report is " + age / 1000 + " s old by the server's clock (at most "
                    + MAX_AGE.toSeconds() + ")");
        }
        store.report(in.address(), certificate.getSerialNumber(), in.timestamp(),
                Duration.ofSeconds(3 * in.intervalSeconds()), peers, now);
        return new GroupApi.ReportAck(now.toEpochMilli());
    }

    private static void verifySignature(X509Certificate certificate, GroupApi.RingReport in) throws GroupRefusal {
        try {
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(certificate.getPublicKey());
            v.update(GroupApi.RingReport.signed(in.group(), in.address(), in.timestamp(), in.intervalSeconds(), in.peers()));
            if (!v.verify(Base64.getDecoder().decode(in.signature()))) {
                throw new GroupRefusal("report-signature", "the signature does not verify with the certificate's key");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new GroupRefusal("report-signature", "the signature does not verify: " + e.getMessage());
        }
    }
}
