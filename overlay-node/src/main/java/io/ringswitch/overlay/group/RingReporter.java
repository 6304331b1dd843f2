package io.ringswitch.overlay.group;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.Pem;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Sends the group server a node's signed report of the peers it has live links to
 * ({@link GroupApi.RingReport}, {@code POST /api/report}), from which the members page tells who is
 * online from the ring's view. Sent with each CRL fetch, on the fetch's thread.
 */
public final class RingReporter {
    private final GroupClient client;
    private final long intervalSeconds;

    /** A reporter to {@code server}, pinned by {@code serverSha256}, for a node fetching the CRL every {@code intervalSeconds}. */
    public RingReporter(String server, String serverSha256, long intervalSeconds) {
        this.client = new GroupClient(server, serverSha256);
        this.intervalSeconds = intervalSeconds;
    }

    /** Reports, as {@code identity} at {@code now}, live links to {@code peers}; throws with the server's reason when refused. */
    public void report(NodeIdentity identity, List<RingAddress> peers, Instant now) throws IOException {
        client.post("/api/report", sign(identity, peers, now, intervalSeconds), GroupApi.ReportAck.class);
    }

    /** The signed report; a test sends altered copies of it. */
    static GroupApi.RingReport sign(NodeIdentity identity, List<RingAddress> peers, Instant now, long intervalSeconds)
            throws IOException {
        String group = identity.certificate().group();
        String address = identity.certificate().address().toString();
        List<String> hex = peers.stream().map(RingAddress::toString).toList();
        long at = now.toEpochMilli();
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(identity.key());
            s.update(GroupApi.RingReport.signed(group, address, at, intervalSeconds, hex));
            return new GroupApi.RingReport(Pem.encode(identity.certificate().certificate()), group, address, at, intervalSeconds,
                    hex, Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign the ring report: " + e.getMessage(), e);
        }
    }
}
