package io.ringswitch.overlay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group CA issues, and a node certificate passes only every check. */
class GroupCaTest {
    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    private static final Duration YEAR = Duration.ofDays(365);

    @TempDir
    Path dir;

    private final GroupCa ca = GroupCa.create("lab", NOW, YEAR);
    private final KeyPair node = GroupCa.newKeyPair();

    @Test
    void anIssuedCertificatePassesAndSaysWhoTheNodeIs() throws Exception {
        X509Certificate cert = ca.issue("site1", node.getPublic(), Optional.of(InetAddress.getByName("10.77.1.1")), NOW, YEAR);
        NodeCertificate verified = NodeCertificate.verify(cert, ca.certificate(), NOW.plusSeconds(3600));
        assertEquals("site1", verified.name());
        assertEquals("lab", verified.group());
        assertEquals(RingSalt.address(node.getPublic(), RingSalt.of(cert).orElseThrow()), verified.address());
        assertEquals(Optional.of(InetAddress.getByName("10.77.1.1")), verified.virtualIp());
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        GroupCa other = GroupCa.create("lab", NOW, YEAR);
        X509Certificate cert = other.issue("site1", node.getPublic(), Optional.empty(), NOW, YEAR);
        NodeCertificate.CertificateRejected e = assertThrows(NodeCertificate.CertificateRejected.class,
                () -> NodeCertificate.verify(cert, ca.certificate(), NOW));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void anExpiredOrNotYetValidCertificateIsRefused() {
        X509Certificate cert = ca.issue("site1", node.getPublic(), Optional.empty(), NOW, Duration.ofDays(1));
        assertTrue(assertThrows(NodeCertificate.CertificateRejected.class,
                () -> NodeCertificate.verify(cert, ca.certificate(), NOW.plus(Duration.ofDays(2)))).getMessage().contains("expired"));
        X509Certificate later = ca.issue("site1", node.getPublic(), Optional.empty(), NOW.plus(Duration.ofDays(10)), YEAR);
        assertTrue(assertThrows(NodeCertificate.CertificateRejected.class,
                () -> NodeCertificate.verify(later, ca.certificate(), NOW.plus(Duration.ofDays(1)))).getMessage()
                .contains("not valid before"));
    }

    @Test
    void aCertificateWhoseRingAddressIsNotItsKeysIsRefused() throws Exception {
        byte[] salt = new byte[RingSalt.BYTES];
        X509Certificate forged = CaSignedCertificates.sign(ca, new X500Name("O=lab,CN=liar"), node.getPublic(), Optional.of(salt),
                RingSalt.address(GroupCa.newKeyPair().getPublic(), salt), NOW);
        NodeCertificate.CertificateRejected e = assertThrows(NodeCertificate.CertificateRejected.class,
                () -> NodeCertificate.verify(forged, ca.certificate(), NOW));
        assertEquals(NodeCertificate.Kind.ADDRESS_NOT_KEY, e.kind());
        assertTrue(e.getMessage().contains("but its key and ring salt give"), e.getMessage());
    }

    @Test
    void aCertificateOfAnotherGroupIsRefusedEvenWhenTheCaSignedIt() throws Exception {
        byte[] salt = new byte[RingSalt.BYTES];
        X509Certificate cert = CaSignedCertificates.sign(ca, new X500Name("O=other,CN=n"), node.getPublic(), Optional.of(salt),
                RingSalt.address(node.getPublic(), salt), NOW);
        assertTrue(assertThrows(NodeCertificate.CertificateRejected.class,
                () -> NodeCertificate.verify(cert, ca.certificate(), NOW)).getMessage().contains("group"));
    }

    @Test
    void aRequestIsIssuedForTheKeyThatSignedIt() throws Exception {
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=site9"), node.getPublic())
                .build(new JcaContentSignerBuilder("Ed25519").build(node.getPrivate()));
        X509Certificate cert = ca.issue(request, Optional.empty(), NOW, YEAR);
        NodeCertificate verified = NodeCertificate.verify(cert, ca.certificate(), NOW);
        assertEquals("site9", verified.name());
        assertEquals(RingSalt.address(node.getPublic(), RingSalt.of(cert).orElseThrow()), verified.address());
        PKCS10CertificationRequest notTheirs = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=site9"), node.getPublic())
                .build(new JcaContentSignerBuilder("Ed25519").build(GroupCa.newKeyPair().getPrivate()));
        assertThrows(IOException.class, () -> ca.issue(notTheirs, Optional.empty(), NOW, YEAR));
    }

    @Test
    void aNodeLoadsItsFilesAndRefusesOnesThatDoNotBelongTogether() throws Exception {
        ca.save(dir);
        X509Certificate cert = ca.issue("site1", node.getPublic(), Optional.empty(), NOW, YEAR);
        Pem.write(dir.resolve("site1.crt"), cert);
        Pem.writeKey(dir.resolve("site1.key"), node.getPrivate());
        NodeIdentity id = NodeIdentity.load(dir.resolve("site1.crt"), dir.resolve("site1.key"), dir.resolve("ca.crt"), NOW);
        assertEquals(RingSalt.address(node.getPublic(), RingSalt.of(cert).orElseThrow()), id.certificate().address());
        Pem.writeKey(dir.resolve("wrong.key"), GroupCa.newKeyPair().getPrivate());
        IOException wrongKey = assertThrows(IOException.class,
                () -> NodeIdentity.load(dir.resolve("site1.crt"), dir.resolve("wrong.key"), dir.resolve("ca.crt"), NOW));
        assertTrue(wrongKey.getMessage().contains("wrong.key"), wrongKey.getMessage());
        Files.writeString(dir.resolve("garbage.crt"), "not a certificate");
        IOException garbage = assertThrows(IOException.class,
                () -> NodeIdentity.load(dir.resolve("garbage.crt"), dir.resolve("site1.key"), dir.resolve("ca.crt"), NOW));
        assertTrue(garbage.getMessage().contains("garbage.crt"), garbage.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> NodeIdentity.load(dir.resolve("site1.crt"), dir.resolve("site1.key"), dir.resolve("none.crt"), NOW));
        assertTrue(missing.getMessage().contains("none.crt"), missing.getMessage());
        GroupCa loaded = GroupCa.load(dir, NOW);
        assertEquals("lab", loaded.group());
    }

    @Test
    void badNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> GroupCa.create("a group", NOW, YEAR));
        assertThrows(IllegalArgumentException.class, () -> ca.issue("", node.getPublic(), Optional.empty(), NOW, YEAR));
    }
}
