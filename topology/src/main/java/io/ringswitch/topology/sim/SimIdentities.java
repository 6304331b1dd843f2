package io.ringswitch.topology.sim;

import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Certificates for simulated nodes: one group CA for the whole run and, for each node, an Ed25519
 * key and a certificate of that CA, so that the simulator's DHT signs and checks records as a real
 * group does. Keys and ring salts come from the system's random source, so a signed run places
 * its nodes differently from one seed to the next.
 */
final class SimIdentities {
    private final Instant start;
    private final GroupCa ca;
    private int issued;

    SimIdentities(Instant start) {
        this.start = start;
        this.ca = GroupCa.create("sim", start, Duration.ofDays(30));
    }

    /** The wall clock the run's records are stamped with: the start, plus the virtual time. */
    long wallMillis(long virtualMillis) {
        return start.toEpochMilli() + virtualMillis;
    }

    /** A new node's identity, its certificate checked as any node would check it. */
    NodeIdentity next() {
        KeyPair keys = GroupCa.newKeyPair();
        X509Certificate cert = ca.issue("sim" + issued++, keys.getPublic(), Optional.empty(), start, Duration.ofDays(7));
        try {
            return new NodeIdentity(keys.getPrivate(), NodeCertificate.verify(cert, ca.certificate(), start),
                    ca.certificate());
        } catch (NodeCertificate.CertificateRejected e) {
            throw new IllegalStateException("the simulator's CA issued a certificate it refuses", e);
        }
    }
}
