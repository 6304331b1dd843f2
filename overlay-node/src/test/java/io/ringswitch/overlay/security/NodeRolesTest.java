package io.ringswitch.overlay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Roles the CA grants in a certificate: written, read back, kept on renewal, none by default. */
class NodeRolesTest {
    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    private static final Duration YEAR = Duration.ofDays(365);

    private final GroupCa ca = GroupCa.create("lab", NOW, YEAR);
    private final KeyPair node = GroupCa.newKeyPair();

    @Test
    void theCaWritesRolesIntoANonCriticalExtensionAndRenewalKeepsThem() throws Exception {
        X509Certificate cert = ca.issue("gw1", node.getPublic(), Optional.empty(), NOW, YEAR, Set.of(NodeRoles.GATEWAY));
        assertTrue(cert.getNonCriticalExtensionOIDs().contains(NodeRoles.OID.getId()));
        assertEquals(Set.of(NodeRoles.GATEWAY), NodeRoles.of(cert));
        NodeCertificate.verify(cert, ca.certificate(), NOW);
        X509Certificate renewed = ca.renew(cert, NOW.plusSeconds(60), YEAR);
        assertEquals(Set.of(NodeRoles.GATEWAY), NodeRoles.of(renewed));
    }

    @Test
    void aCertificateIssuedWithoutRolesHasNone() throws Exception {
        X509Certificate cert = ca.issue("site1", node.getPublic(), Optional.empty(), NOW, YEAR);
        assertEquals(Set.of(), NodeRoles.of(cert));
        assertEquals(null, cert.getExtensionValue(NodeRoles.OID.getId()));
    }

    @Test
    void aRoleThatIsNoWordIsRefusedAtIssue() {
        assertThrows(IllegalArgumentException.class,
                () -> ca.issue("gw1", node.getPublic(), Optional.empty(), NOW, YEAR, Set.of("Gateway!")));
    }
}
