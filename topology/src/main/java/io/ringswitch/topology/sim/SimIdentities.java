package io.ringswitch.topology.sim;

import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Certificates for simulated nodes: one group CA for the whole run and, for each node, an Ed25519
 * key and a certificate of that CA, so that the simulator's DHT signs and checks records and its
 * routers check sources as a real group does. Identities are kept by node number: two runs
 * handed the same instance place node {@code i} at the same ring address, which is how a bare
 * and a signed run are compared on the same ring. Keys and ring salts come from the system's
 * random source, so a new instance places its nodes differently from one seed to the next.
 * Issuing costs about 1 ms of CPU per node, which {@link #issueMillis()} reports: keys come from
 * Bouncy Castle (0.05 ms, against 0.35 ms with the JDK's Ed25519), the CA's signature from the
 * JDK, as {@link GroupCa} makes it (most of the rest), and the certificate is read without the
 * CA check (0.7 ms more with it), since every node that meets it checks it
 * ({@code SourceSignatures}, {@code SignedDhtRecords}) and the simulator's CA is the group's.
 */
final class SimIdentities {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final KeyPairGenerator keys;
    private final Instant start;
    private final GroupCa ca;
    private final List<NodeIdentity> issued = new ArrayList<>();
    private long issueNanos;

    SimIdentities(Instant start) {
        this.start = start;
        this.ca = GroupCa.create("sim", start, Duration.ofDays(30));
        try {
            this.keys = KeyPairGenerator.getInstance("Ed25519", new BouncyCastleProvider());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle has no Ed25519", e);
        }
    }

    /** The wall clock the run's records are stamped with: the start, plus the virtual time. */
    long wallMillis(long virtualMillis) {
        return start.toEpochMilli() + virtualMillis;
    }

    /** Node {@code index}'s identity, issued the first time it is asked for. */
    NodeIdentity of(int index) {
        while (issued.size() <= index) {
            long t = THREADS.getCurrentThreadCpuTime();
            issued.add(issue(issued.size()));
            issueNanos += THREADS.getCurrentThreadCpuTime() - t;
        }
        return issued.get(index);
    }

    /** Milliseconds of CPU spent issuing so far. */
    long issueMillis() {
        return issueNanos / 1_000_000;
    }

    /** A new identity; the first one's certificate checked as any node would check it. */
    private NodeIdentity issue(int index) {
        KeyPair pair = keys.generateKeyPair();
        X509Certificate cert = ca.issue("sim" + index, pair.getPublic(), Optional.empty(), start, Duration.ofDays(7));
        try {
            NodeCertificate read = index == 0 ? NodeCertificate.verify(cert, ca.certificate(), start)
                    : NodeCertificate.readUnverified(cert);
            return new NodeIdentity(pair.getPrivate(), read, ca.certificate());
        } catch (NodeCertificate.CertificateRejected e) {
            throw new IllegalStateException("the simulator's CA issued a certificate it refuses", e);
        }
    }
}
