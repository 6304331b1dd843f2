package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteCertificatesTest {
    private static final LabSpec SPEC = LabSpec.of("sec", 6, 1).withCredential(4, SiteCredential.OTHER_CA)
            .withCredential(5, SiteCredential.EXPIRED).withCredential(6, SiteCredential.ADDRESS_MISMATCH);

    @TempDir
    Path run;
    private SiteCertificates certificates;

    @BeforeEach
    void setUp() {
        certificates = new SiteCertificates(SPEC, run);
    }

    private NodeConfig.Identity identity(int site) throws IOException {
        Path dir = run.resolve("s" + site);
        Files.createDirectories(dir);
        return certificates.identity(site, dir);
    }

    private X509Certificate labCa() throws IOException {
        return Pem.readCertificate(run.resolve("ca").resolve(GroupCa.CERT_FILE));
    }

    private static X509Certificate certificate(NodeConfig.Identity id) throws IOException {
        return Pem.readCertificate(Path.of(id.certificate()));
    }

    @Test
    void aValidSiteLoadsAgainstTheLabsCaAndKeepsItsKeyOnRestart() throws Exception {
        NodeConfig.Identity id = identity(1);
        NodeIdentity loaded = NodeIdentity.load(Path.of(id.certificate()), Path.of(id.key()), Path.of(id.ca()), Instant.now());
        assertEquals("site1", loaded.certificate().name());
        assertEquals("lab-sec", loaded.certificate().group());
        String first = Files.readString(Path.of(id.certificate()));
        assertEquals(first, Files.readString(Path.of(identity(1).certificate())), "made once");
    }

    @Test
    void anotherCasSiteStartsAgainstItsOwnCaButNotAgainstTheLabs() throws Exception {
        identity(1);
        NodeConfig.Identity id = identity(4);
        assertEquals(run.resolve("ca-other").resolve(GroupCa.CERT_FILE).toString(), id.ca());
        NodeIdentity own = NodeIdentity.load(Path.of(id.certificate()), Path.of(id.key()), Path.of(id.ca()), Instant.now());
        assertEquals("lab-sec", own.certificate().group(), "the same group name");
        NodeCertificate.CertificateRejected e = assertThrows(NodeCertificate.CertificateRejected.class,
                () -> NodeCertificate.verify(certificate(id), labCa(), Instant.now()));
        assertTrue(e.getMessage().contains("signature") || e.getMessage().contains("issued by"), e.getMessage());
    }

    @Test
    void anExpiredSiteIsIssuedByTheLabsCaAndHasExpired() throws Exception {
        NodeConfig.Identity id = identity(5);
        assertEquals(run.resolve("ca").resolve(GroupCa.CERT_FILE).toString(), id.ca());
        NodeCertificate.CertificateRejected e = assertThrows(NodeCertificate.CertificateRejected.class,
                () -> NodeCertificate.verify(certificate(id), labCa(), Instant.now()));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertThrows(IOException.class, () -> NodeIdentity.load(Path.of(id.certificate()), Path.of(id.key()),
                Path.of(id.ca()), Instant.now()), "it could not start without being told not to check");
        NodeIdentity.loadUnverified(Path.of(id.certificate()), Path.of(id.key()), Path.of(id.ca()));
    }

    @Test
    void anAddressMismatchNamesAnAddressThatIsNotItsKeys() throws Exception {
        NodeConfig.Identity id = identity(6);
        X509Certificate cert = certificate(id);
        NodeCertificate.CertificateRejected e = assertThrows(NodeCertificate.CertificateRejected.class,
                () -> NodeCertificate.verify(cert, labCa(), Instant.now()));
        assertEquals(NodeCertificate.Kind.ADDRESS_NOT_KEY, e.kind(), "refused for its address, not for a missing salt");
        assertTrue(e.getMessage().contains("but its key and ring salt give"), e.getMessage());
        NodeIdentity unverified = NodeIdentity.loadUnverified(Path.of(id.certificate()), Path.of(id.key()), Path.of(id.ca()));
        assertNotEquals(NodeCertificate.addressOf(cert), unverified.certificate().address());
        assertEquals("site6", unverified.certificate().name());
        assertEquals("lab-sec", unverified.certificate().group());
    }

    @Test
    void aCertificateWithoutRingSaltIsIssuedAgain() throws Exception {
        identity(1);
        Path cert = run.resolve("s1").resolve("node.crt");
        // Any certificate without a ring salt stands for one issued before issue 18: the lab CA's own has none.
        Files.copy(run.resolve("ca").resolve(GroupCa.CERT_FILE), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        NodeConfig.Identity id = identity(1);
        NodeIdentity loaded = NodeIdentity.load(Path.of(id.certificate()), Path.of(id.key()), Path.of(id.ca()), Instant.now());
        assertEquals(NodeCertificate.addressOf(certificate(id)), loaded.certificate().address());
    }

    @Test
    void aRenewingLabsMinuteLongCertificateIsKeptUntilItExpiresThenMadeAgain() throws Exception {
        SiteCertificates renewing = new SiteCertificates(LabSpec.of("ren", 2, 1).withCertLifetime(java.time.Duration.ofSeconds(60)),
                run);
        Path dir = Files.createDirectories(run.resolve("r1"));
        NodeConfig.Identity id = renewing.identity(1, dir);
        X509Certificate first = certificate(id);
        assertTrue(first.getNotAfter().toInstant().isBefore(Instant.now().plusSeconds(61)), "lives a minute");
        assertEquals(first, certificate(renewing.identity(1, dir)),
                "the certificate the group server admitted is the one the node starts with");
        GroupCa ca = GroupCa.load(run.resolve("ca"), Instant.now());
        NodeIdentity key = NodeIdentity.load(Path.of(id.certificate()), Path.of(id.key()), Path.of(id.ca()), Instant.now());
        Pem.write(Path.of(id.certificate()), ca.renew(first, Instant.now().minusSeconds(3600), java.time.Duration.ofMinutes(1)));
        X509Certificate again = certificate(renewing.identity(1, dir));
        assertTrue(again.getNotAfter().toInstant().isAfter(Instant.now()), "an expired one is made again");
        assertNotEquals(key.certificate().address(), NodeCertificate.readUnverified(again).address());
    }

    @Test
    void aLabWithARingOrderPutsEverySiteInItsArcOfTheRing() throws Exception {
        java.util.List<Integer> order = java.util.List.of(1, 3, 6, 2, 4, 5);
        LabSpec spec = LabSpec.of("ord", 6, 1).withRingOrder(order);
        SiteCertificates placed = new SiteCertificates(spec, run);
        java.util.List<io.ringswitch.overlay.ring.RingAddress> addresses = new java.util.ArrayList<>();
        for (int site : order) {
            Path dir = run.resolve("p" + site);
            Files.createDirectories(dir);
            NodeConfig.Identity id = placed.identity(site, dir);
            NodeIdentity loaded = NodeIdentity.load(Path.of(id.certificate()), Path.of(id.key()), Path.of(id.ca()), Instant.now());
            addresses.add(loaded.certificate().address());
        }
        for (int i = 0; i < order.size(); i++) {
            io.ringswitch.overlay.ring.RingAddress from = io.ringswitch.overlay.ring.RingAddress.atFraction(i / 6.0);
            assertTrue(addresses.get(i).compareTo(from) >= 0, "site " + order.get(i) + " at or after " + i + "/6");
            if (i < order.size() - 1) {
                assertTrue(addresses.get(i).compareTo(addresses.get(i + 1)) < 0, "site " + order.get(i) + " before the next");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> LabSpec.of("ord", 6, 1).withRingOrder(java.util.List.of(1, 2, 3)),
                "every site once");
        assertThrows(IllegalArgumentException.class, () -> LabSpec.of("ord", 3, 1).withRingOrder(java.util.List.of(1, 2, 2)),
                "every site once");
    }
}
