package io.ringswitch.topology.sim;

import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Certificates for simulated nodes: one group CA for the whole run and, for each node, an Ed25519
 * key and a certificate of that CA, so that the simulator's DHT signs and checks records and its
 * routers check sources as a real group does. Identities are kept by node number: two runs
 * handed the same instance place node {@code i} at the same ring address, which is how a bare
 * and a signed run are compared on the same ring. Keys and ring salts come from the system's
 * random source, so a new instance places its nodes differently from one seed to the next.
 * Issuing takes about 3 ms of CPU per node (the JDK's Ed25519 for the key, the CA's signature
 * and the check), which {@link #issueMillis()} reports.
 */
final class SimIdentities {
    private final Instant start;
    private final GroupCa ca;
    private final List<NodeIdentity> issued = new ArrayList<>();
    private long issueNanos;

    SimIdentities(Instant start) {
        this.start = start;
        this.ca = GroupCa.create("sim", start, Duration.ofDays(30));
    }

    /** The wall clock the run's records are stamped with: the start, plus the virtual time. */
    long wallMillis(long virtualMillis) {
        return start.toEpochMilli() + virtualMillis;
    }

    /** Node {@code index}'s identity, issued the first time it is asked for. */
    NodeIdentity of(int index) {
        while (issued.size() <= index) {
            long t = System.nanoTime();
            issued.add(issue(issued.size()));
            issueNanos += System.nanoTime() - t;
        }
        return issued.get(index);
    }

    /** Wall milliseconds spent issuing so far. */
    long issueMillis() {
        return issueNanos / 1_000_000;
    }

    /** A new identity, its certificate checked as any node would check it. */
    private NodeIdentity issue(int index) {
        KeyPair keys = GroupCa.newKeyPair();
        X509Certificate cert = ca.issue("sim" + index, keys.getPublic(), Optional.empty(), start, Duration.ofDays(7));
        try {
            return new NodeIdentity(keys.getPrivate(), NodeCertificate.verify(cert, ca.certificate(), start),
                    ca.certificate());
        } catch (NodeCertificate.CertificateRejected e) {
            throw new IllegalStateException("the simulator's CA issued a certificate it refuses", e);
        }
    }
}
