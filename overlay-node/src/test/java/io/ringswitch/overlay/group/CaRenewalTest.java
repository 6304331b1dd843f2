package io.ringswitch.overlay.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The CA renews its own certificates at the same ring address, and no one else's. */
class CaRenewalTest {
    @Test
    void renewalKeepsTheAddressAndRefusesAnotherCasCertificate() throws Exception {
        Instant now = Instant.now();
        GroupCa ca = GroupCa.create("g", now, Duration.ofDays(1));
        GroupCa other = GroupCa.create("g", now, Duration.ofDays(1));
        X509Certificate first = ca.issue("site1", GroupCa.newKeyPair().getPublic(), Optional.empty(), now, Duration.ofMinutes(5));
        X509Certificate renewed = ca.renew(first, now.plusSeconds(200), Duration.ofMinutes(5));
        assertEquals(NodeCertificate.addressOf(first), NodeCertificate.verify(renewed, ca.certificate(), now.plusSeconds(200)).address());
        assertNotEquals(first.getSerialNumber(), renewed.getSerialNumber());
        assertEquals(first.getPublicKey(), renewed.getPublicKey());

        X509Certificate foreign = other.issue("site1", GroupCa.newKeyPair().getPublic(), Optional.empty(), now, Duration.ofMinutes(5));
        assertThrows(IOException.class, () -> ca.renew(foreign, now, Duration.ofMinutes(5)));
    }
}
