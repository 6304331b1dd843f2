package io.ringswitch.overlay.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.SourceSignatures;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A node whose short-lived certificate was renewed signs its routed messages with the renewed
 * one: after the first expires, its peers still open them (they would refuse the expired one).
 */
class RenewedSignersTest {
    private static final byte[] PAYLOAD = "a routed message".getBytes(StandardCharsets.US_ASCII);

    @Test
    void signaturesCarryTheRenewedCertificate() throws Exception {
        Instant now = Instant.now();
        AtomicReference<Instant> clock = new AtomicReference<>(now);
        GroupCa ca = GroupCa.create("g", now.minusSeconds(60), Duration.ofDays(1));
        KeyPair aKey = GroupCa.newKeyPair();
        NodeIdentity a = new NodeIdentity(aKey.getPrivate(), NodeCertificate.readUnverified(
                ca.issue("a", aKey.getPublic(), Optional.empty(), now, Duration.ofMinutes(2))), ca.certificate());
        KeyPair bKey = GroupCa.newKeyPair();
        NodeIdentity b = new NodeIdentity(bKey.getPrivate(), NodeCertificate.readUnverified(
                ca.issue("b", bKey.getPublic(), Optional.empty(), now, Duration.ofDays(1))), ca.certificate());
        SourceSignatures aSigns = new SourceSignatures(a, clock::get);
        SourceSignatures bChecks = new SourceSignatures(b, clock::get);
        RingAddress from = a.certificate().address();
        RingAddress to = b.certificate().address();

        clock.set(now.plus(Duration.ofMinutes(5)));
        assertNull(bChecks.openRouted(from, to, PayloadTypes.DHT, aSigns.signRouted(from, to, PayloadTypes.DHT, PAYLOAD)),
                "an expired certificate is refused");
        NodeIdentity renewed = new NodeIdentity(a.key(), NodeCertificate.readUnverified(
                ca.renew(a.certificate().certificate(), now.plus(Duration.ofMinutes(1)), Duration.ofMinutes(10))), a.ca());
        aSigns.renew(renewed);
        assertArrayEquals(PAYLOAD, bChecks.openRouted(from, to, PayloadTypes.DHT, aSigns.signRouted(from, to, PayloadTypes.DHT, PAYLOAD)));
        assertThrows(IllegalArgumentException.class, () -> aSigns.renew(b), "another member's certificate is not a renewal");
    }
}
