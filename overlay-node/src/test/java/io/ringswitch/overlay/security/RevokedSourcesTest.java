package io.ringswitch.overlay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ringswitch.overlay.ring.dht.DhtCounters;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each check that consults the revocations, alone: a DHT record signed by a revoked member (one an
 * honest holder hands on, say, while the record's own publisher is cut off) and a routed message
 * or broadcast it signed are refused, each with its counter, while they pass before the revocation.
 */
class RevokedSourcesTest {
    static final Instant NOW = Instant.now();
    final GroupCa ca = GroupCa.create("lab", NOW.minusSeconds(60), Duration.ofDays(30));

    NodeIdentity member(String name) throws Exception {
        KeyPair keys = GroupCa.newKeyPair();
        X509Certificate cert = ca.issue(name, keys.getPublic(), Optional.empty(), NOW, Duration.ofDays(7));
        return new NodeIdentity(keys.getPrivate(), NodeCertificate.verify(cert, ca.certificate(), NOW), ca.certificate());
    }

    @Test
    void aRevokedPublishersRecordIsRefused() throws Exception {
        NodeIdentity revoked = member("revoked");
        SignedDhtRecords reader = new SignedDhtRecords(member("reader"), () -> NOW.toEpochMilli());
        byte[] sealed = new SignedDhtRecords(revoked, () -> NOW.toEpochMilli())
                .seal(DhtKey.of("mac:020000000001"), "site".getBytes(StandardCharsets.UTF_8), 60_000, false);
        DhtCounters c = new DhtCounters();
        Revocations revocations = new Revocations(ca.certificate(), null);
        reader.revocations(revocations);
        assertNotNull(reader.check(DhtKey.of("mac:020000000001"), sealed, c), "before the revocation it holds");
        revocations.learn(RevocationRecord.issue(ca, revoked.certificate().certificate(), NOW.toEpochMilli()),
                Revocations.Source.BROADCAST);
        assertNull(reader.check(DhtKey.of("mac:020000000001"), sealed, c));
        assertEquals(1, c.recordRevoked());
    }

    @Test
    void aRevokedSourcesRoutedMessagesAndBroadcastsAreRefused() throws Exception {
        NodeIdentity revoked = member("revoked");
        NodeIdentity receiver = member("receiver");
        SourceSignatures sender = new SourceSignatures(revoked, () -> NOW);
        SourceSignatures checks = new SourceSignatures(receiver, () -> NOW);
        Revocations revocations = new Revocations(ca.certificate(), null);
        checks.revocations(revocations);
        byte[] payload = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] routed = sender.signRouted(revoked.certificate().address(), receiver.certificate().address(), PayloadTypes.DHT,
                payload);
        byte[] broadcast = sender.signBroadcast(revoked.certificate().address(), 7, PayloadTypes.FRAME, payload);
        assertNotNull(checks.openRouted(revoked.certificate().address(), receiver.certificate().address(), PayloadTypes.DHT, routed));
        revocations.learn(RevocationRecord.issue(ca, revoked.certificate().certificate(), NOW.toEpochMilli()),
                Revocations.Source.CRL);
        assertNull(checks.openRouted(revoked.certificate().address(), receiver.certificate().address(), PayloadTypes.DHT, routed));
        assertNull(checks.openBroadcast(revoked.certificate().address(), 7, PayloadTypes.FRAME, broadcast));
        assertEquals(2, checks.refused("revoked"));
    }
}
