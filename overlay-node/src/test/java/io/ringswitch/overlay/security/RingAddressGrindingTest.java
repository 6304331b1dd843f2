package io.ringswitch.overlay.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.dht.DhtKey;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An insider who holds a CA-issued certificate wants to be the node nearest a chosen DHT key (and
 * so answer for it alone). It grinds {@value #KEYS} Ed25519 keys and keeps the one whose address
 * lands nearest the key. With the address the SHA-1 of the key alone (before issue 18) it wins
 * against a group of {@value #GROUP}; with the CA's salt the address it gets is wherever the salt
 * puts it, and a salt of its own choosing breaks the CA's signature.
 */
class RingAddressGrindingTest {
    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    private static final int KEYS = 2_000;
    private static final int GROUP = 50;
    /** Issues of the ground key, to see where the CA's salts put it. */
    private static final int ISSUES = 200;
    private static final RingAddress TARGET = DhtKey.of("ip4:10.77.2.1").address();

    private static final GroupCa CA = GroupCa.create("lab", NOW.minusSeconds(3600), Duration.ofDays(30));
    /** The honest members' addresses, seeded so that a failure replays. */
    private static final List<RingAddress> HONEST = new ArrayList<>();
    private static KeyPair ground;

    @BeforeAll
    static void grind() throws Exception {
        Random random = new Random(18);
        for (int i = 0; i < GROUP; i++) {
            HONEST.add(RingAddress.random(random));
        }
        SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
        seeded.setSeed(18L);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, seeded);
        RingAddress best = RingAddress.MAX;
        for (int i = 0; i < KEYS; i++) {
            KeyPair candidate = generator.generateKeyPair();
            RingAddress distance = RingSaltTest.keyOnlyAddress(candidate.getPublic()).distanceTo(TARGET);
            if (distance.compareTo(best) < 0) {
                best = distance;
                ground = candidate;
            }
        }
    }

    /** Whether {@code address} is nearer the target than every honest member: it would hold the key. */
    private static boolean owns(RingAddress address) {
        RingAddress mine = address.distanceTo(TARGET);
        return HONEST.stream().allMatch(h -> mine.compareTo(h.distanceTo(TARGET)) < 0);
    }

    private static X509Certificate issueFromRequest(KeyPair key) throws Exception {
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=mallory"), key.getPublic())
                .build(new JcaContentSignerBuilder("Ed25519").build(key.getPrivate()));
        return CA.issue(request, Optional.empty(), NOW, Duration.ofDays(1));
    }

    @Test
    void withTheKeyAloneGrindingChoosesTheAddress() throws Exception {
        assertTrue(owns(RingSaltTest.keyOnlyAddress(ground.getPublic())),
                "the best of " + KEYS + " keys lands nearer " + TARGET + " than all " + GROUP + " honest members");
    }

    @Test
    void withTheCasSaltTheGroundKeyLandsWhereverTheSaltPutsIt() throws Exception {
        X509Certificate cert = issueFromRequest(ground);
        NodeCertificate issued = NodeCertificate.verify(cert, CA.certificate(), NOW);
        assertNotEquals(RingSaltTest.keyOnlyAddress(ground.getPublic()), issued.address());
        assertEquals(RingSalt.address(ground.getPublic(), RingSalt.of(cert).orElseThrow()), issued.address());

        // The same ground key, issued again and again: its places are spread round the ring, and it
        // holds the target about as often as any member (1 in GROUP + 1), not every time.
        int owned = 0;
        int[] quarters = new int[4];
        for (int i = 0; i < ISSUES; i++) {
            RingAddress address = NodeCertificate.verify(issueFromRequest(ground), CA.certificate(), NOW).address();
            owned += owns(address) ? 1 : 0;
            quarters[(int) (address.fraction() * 4)]++;
        }
        assertTrue(owned < ISSUES / 10, owned + " of " + ISSUES + " salted addresses of the ground key own the target");
        for (int q : quarters) {
            assertTrue(q >= ISSUES / 10, "addresses per quarter of the ring: " + java.util.Arrays.toString(quarters));
        }
    }

    @Test
    void aSaltOfTheMembersChoosingBreaksTheCasSignature() throws Exception {
        X509Certificate cert = issueFromRequest(ground);
        byte[] drawn = RingSalt.of(cert).orElseThrow();
        RingAddress given = NodeCertificate.addressOf(cert);
        // Salts cost the member nothing to grind: it finds one that puts its key next to the target.
        Random random = new Random(19);
        byte[] chosen = null;
        RingAddress best = RingAddress.MAX;
        for (int i = 0; i < KEYS; i++) {
            byte[] salt = new byte[RingSalt.BYTES];
            random.nextBytes(salt);
            RingAddress distance = RingSalt.address(ground.getPublic(), salt).distanceTo(TARGET);
            if (distance.compareTo(best) < 0) {
                best = distance;
                chosen = salt;
            }
        }
        RingAddress wanted = RingSalt.address(ground.getPublic(), chosen);
        assertTrue(owns(wanted));
        // It writes that salt and the address it gives into the CA's certificate, in place.
        byte[] der = cert.getEncoded();
        replace(der, drawn, chosen);
        replace(der, given.toString().getBytes(StandardCharsets.US_ASCII), wanted.toString().getBytes(StandardCharsets.US_ASCII));
        X509Certificate altered = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        // The altered certificate is consistent in every way the address check looks at...
        assertArrayEquals(chosen, RingSalt.of(altered).orElseThrow());
        assertEquals(wanted, NodeCertificate.addressOf(altered));
        assertEquals(wanted, NodeCertificate.readUnverified(altered).address());
        // ...and refused, because the CA did not sign it.
        NodeCertificate.CertificateRejected e = assertThrows(NodeCertificate.CertificateRejected.class,
                () -> NodeCertificate.verify(altered, CA.certificate(), NOW));
        assertEquals(NodeCertificate.Kind.OTHER_CA, e.kind());
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    /** Replaces the one occurrence of {@code what} in {@code in} by {@code with}, of the same length. */
    private static void replace(byte[] in, byte[] what, byte[] with) {
        int found = -1;
        for (int i = 0; i + what.length <= in.length; i++) {
            if (java.util.Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
                assertEquals(-1, found, "found twice");
                found = i;
            }
        }
        assertTrue(found >= 0, "not found");
        System.arraycopy(with, 0, in, found, with.length);
    }
}
