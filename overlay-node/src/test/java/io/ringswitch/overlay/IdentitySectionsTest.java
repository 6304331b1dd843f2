package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.group.CertificateMetrics;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.revocation.CrlFetcher;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.RevocationRecord;
import io.ringswitch.overlay.security.Revocations;
import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The certificate and revocations sections of the status are read from the node's registry: what
 * the parts counted and hold, as a scrape shows it, and nothing for a node that has neither.
 */
class IdentitySectionsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private final NodeMetrics metrics = NodeMetrics.inProcess();
    private final GroupCa ca = GroupCa.create("lab", NOW.minusSeconds(60), Duration.ofDays(30));
    private final KeyPair key = GroupCa.newKeyPair();
    private final X509Certificate member = ca.issue("m1", key.getPublic(), Optional.empty(), NOW, Duration.ofDays(1));

    @Test
    void aNodeWithoutCertificateHasNeitherSection() {
        MetricsSnapshot scrape = MetricsSnapshot.of(metrics);
        assertNull(CertificateMetrics.status(scrape, NOW));
        assertNull(RevocationMetrics.status(scrape));
    }

    @Test
    void aCertificateThatIsNotRenewedShowsItsExpiryAndThenThatItExpired() {
        Instant notAfter = NOW.plus(Duration.ofHours(5));
        Instant[] clock = {NOW};
        CertificateMetrics.register(metrics, CertificateMetrics.fixed(() -> notAfter), new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return clock[0];
            }
        });

        NodeStatus.CertificateStatus valid = CertificateMetrics.status(MetricsSnapshot.of(metrics), NOW);
        assertEquals(notAfter.toString(), valid.notAfter());
        assertEquals("not-renewed", valid.state());
        assertEquals(5 * 3600, valid.expiresInSeconds());
        assertNull(valid.nextRenewal());
        assertNull(valid.lastError());

        clock[0] = notAfter.plusSeconds(1);
        NodeStatus.CertificateStatus expired = CertificateMetrics.status(MetricsSnapshot.of(metrics), clock[0]);
        assertEquals("expired", expired.state());
        assertEquals(0, expired.expiresInSeconds());
    }

    @Test
    void revocationsHeldAndRefusedAreCountedWhereTheyHappen() throws Exception {
        Revocations revocations = new Revocations(ca.certificate(), null, metrics);
        RevocationMetrics.register(metrics, revocations);
        assertTrue(revocations.learn(RevocationRecord.issue(ca, member, NOW.toEpochMilli()), Revocations.Source.LOCAL));
        GroupCa other = GroupCa.create("lab", NOW.minusSeconds(60), Duration.ofDays(30));
        revocations.learn(RevocationRecord.issue(other, member, NOW.toEpochMilli()), Revocations.Source.BROADCAST);
        revocations.malformed(Revocations.Source.DHT, "three bytes");
        CrlFetcher fetcher = new CrlFetcher(() -> {
            throw new IOException("connection refused");
        }, ca.certificate(), revocations, Clock.systemUTC(), metrics);
        fetcher.fetchOnce();
        fetcher.close();

        NodeStatus.RevocationStats s = RevocationMetrics.status(MetricsSnapshot.of(metrics));
        assertEquals(1, s.revocations());
        assertEquals(0, s.crlsFetched());
        assertEquals(Map.of("revocation-forged", 1L, "revocation-malformed", 1L, "crl-unreachable", 1L), s.refused());
        assertEquals(s.refused(), Map.of("revocation-forged", revocations.refused("revocation-forged"),
                "revocation-malformed", revocations.refused("revocation-malformed"),
                "crl-unreachable", fetcher.refusals().get("crl-unreachable")), "the parts read the same counts");
        assertEquals(-1, s.crlNumber(), "no CRL taken yet");
        assertNull(s.crlIssued());
    }

    @Test
    void theLastCrlTakenShowsItsNumberAndWhenItWasIssuedAndFetched() throws Exception {
        Revocations revocations = new Revocations(ca.certificate(), null, metrics);
        RevocationMetrics.register(metrics, revocations);
        Instant issued = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        byte[] crl = ca.crl(List.of(RevocationRecord.issue(ca, member, NOW.toEpochMilli())), 7, issued,
                issued.plus(Duration.ofHours(1))).getEncoded();
        Instant fetchedAt = issued.plusSeconds(20);
        CrlFetcher fetcher = new CrlFetcher(() -> crl, ca.certificate(), revocations, Clock.fixed(fetchedAt, ZoneOffset.UTC),
                metrics);
        assertEquals(1, fetcher.fetchOnce());
        fetcher.close();

        NodeStatus.RevocationStats s = RevocationMetrics.status(MetricsSnapshot.of(metrics));
        assertEquals(1, s.revocations());
        assertEquals(1, s.crlsFetched());
        assertEquals(7, s.crlNumber());
        assertEquals(issued.toString(), s.crlIssued());
        assertEquals(fetchedAt.toString(), s.crlFetched());
        assertEquals(Map.of(), s.refused());
    }
}
