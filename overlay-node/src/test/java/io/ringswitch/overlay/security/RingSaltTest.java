package io.ringswitch.overlay.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingAddress;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA's ring salt: drawn at every issue, bound into the address, required of every certificate. */
class RingSaltTest {
    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    private static final Duration YEAR = Duration.ofDays(365);

    @TempDir
    Path dir;

    private final GroupCa ca = GroupCa.create("lab", NOW, YEAR);
    private final KeyPair node = GroupCa.newKeyPair();

    /** The address derivation before issue 18: SHA-1 of the raw key alone. */
    static RingAddress keyOnlyAddress(PublicKey key) throws Exception {
        byte[] raw = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
        return RingAddress.of(MessageDigest.getInstance("SHA-1").digest(raw));
    }

    @Test
    void theCaDrawsASaltIntoANonCriticalExtensionAndTheAddressIsTheHashOfKeyAndSalt() throws Exception {
        X509Certificate cert = ca.issue("site1", node.getPublic(), Optional.empty(), NOW, YEAR);
        assertTrue(cert.getNonCriticalExtensionOIDs().contains(RingSalt.OID.getId()));
        byte[] salt = RingSalt.of(cert).orElseThrow();
        assertEquals(RingSalt.BYTES, salt.length);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(SubjectPublicKeyInfo.getInstance(node.getPublic().getEncoded()).getPublicKeyData().getBytes());
        sha1.update(salt);
        RingAddress expected = RingAddress.of(sha1.digest());
        assertEquals(expected, NodeCertificate.verify(cert, ca.certificate(), NOW).address());
        assertEquals(expected, NodeCertificate.addressOf(cert));
        assertNotEquals(keyOnlyAddress(node.getPublic()), expected);
    }

    @Test
    void everyIssueDrawsAFreshSaltSoTheSameKeyLandsElsewhere() throws Exception {
        X509Certificate first = ca.issue("site1", node.getPublic(), Optional.empty(), NOW, YEAR);
        X509Certificate second = ca.issue("site1", node.getPublic(), Optional.empty(), NOW, YEAR);
        assertFalse(java.util.Arrays.equals(RingSalt.of(first).orElseThrow(), RingSalt.of(second).orElseThrow()));
        assertNotEquals(NodeCertificate.addressOf(first), NodeCertificate.addressOf(second));
    }

    @Test
    void aCertificateWithoutSaltIsRefusedAndItsHolderToldToHaveItReissued() throws Exception {
        // What the CA issued before issue 18: signed, consistent, its address the SHA-1 of the key alone.
        X509Certificate old = CaSignedCertificates.sign(ca, new X500Name("O=lab,CN=site1"), node.getPublic(), Optional.empty(),
                keyOnlyAddress(node.getPublic()), NOW);
        NodeCertificate.CertificateRejected e = assertThrows(NodeCertificate.CertificateRejected.class,
                () -> NodeCertificate.verify(old, ca.certificate(), NOW));
        assertEquals(NodeCertificate.Kind.NO_RING_SALT, e.kind());
        assertEquals("certificate-no-ring-salt", e.kind().counter());
        assertTrue(e.getMessage().contains("re-issued"), e.getMessage());
        ca.save(dir);
        Pem.write(dir.resolve("site1.crt"), old);
        Pem.writeKey(dir.resolve("site1.key"), node.getPrivate());
        IOException start = assertThrows(IOException.class,
                () -> NodeIdentity.load(dir.resolve("site1.crt"), dir.resolve("site1.key"), dir.resolve("ca.crt"), NOW));
        assertTrue(start.getMessage().contains("site1.crt") && start.getMessage().contains("re-issued"), start.getMessage());
    }

    @Test
    void aSaltedCertificateNamingTheKeyOnlyAddressIsRefused() throws Exception {
        // A member asks an old tool to keep its ground address, and a salt is tacked on: the address is not key || salt's.
        X509Certificate cert = CaSignedCertificates.sign(ca, new X500Name("O=lab,CN=site1"), node.getPublic(),
                Optional.of(new byte[RingSalt.BYTES]), keyOnlyAddress(node.getPublic()), NOW);
        assertEquals(NodeCertificate.Kind.ADDRESS_NOT_KEY, assertThrows(NodeCertificate.CertificateRejected.class,
                () -> NodeCertificate.verify(cert, ca.certificate(), NOW)).kind());
    }

    @Test
    void aSaltOfTheWrongShapeIsRefused() throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), BigInteger.TWO,
                Date.from(NOW.minusSeconds(60)), Date.from(NOW.plus(YEAR)), new X500Name("O=lab,CN=site1"), node.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                GeneralName.uniformResourceIdentifier, NodeCertificate.RING_URN + keyOnlyAddress(node.getPublic()))));
        b.addExtension(RingSalt.OID, false, new DEROctetString(new byte[4]));
        ca.save(dir);
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("Ed25519").build(Pem.readKey(dir.resolve(GroupCa.KEY_FILE)))));
        NodeCertificate.CertificateRejected e = assertThrows(NodeCertificate.CertificateRejected.class,
                () -> NodeCertificate.verify(cert, ca.certificate(), NOW));
        assertEquals(NodeCertificate.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("4 bytes"), e.getMessage());
    }

    @Test
    void theExtensionRoundTrips() throws Exception {
        byte[] salt = new byte[RingSalt.BYTES];
        salt[3] = 7;
        X509Certificate cert = CaSignedCertificates.sign(ca, new X500Name("O=lab,CN=site1"), node.getPublic(), Optional.of(salt),
                RingSalt.address(node.getPublic(), salt), NOW);
        assertArrayEquals(salt, RingSalt.of(cert).orElseThrow());
        assertEquals(RingSalt.address(node.getPublic(), salt), NodeCertificate.verify(cert, ca.certificate(), NOW).address());
        assertThrows(IllegalArgumentException.class, () -> RingSalt.extension(new byte[15]));
    }
}
