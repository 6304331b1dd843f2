package io.ringswitch.overlay.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.noise.XxHandshake;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A renewed certificate swapped into a node's credentials (issue 19): new handshakes prove it,
 * and an identity at another ring address cannot be swapped in.
 */
class RenewedCredentialsTest {
    @Test
    void aRenewedCertificateIsProvedAfterTheSwapAndAnotherAddressIsRefused() throws Exception {
        try (SecureNodes nodes = new SecureNodes()) {
            NodeIdentity a = SecureNodes.identity(nodes.ca, "a", SecureNodes.NOW, Duration.ofMinutes(3));
            NodeIdentity b = SecureNodes.identity(nodes.ca, "b", SecureNodes.NOW, Duration.ofDays(1));
            byte[] aStatic = XxHandshake.publicKey(XxHandshake.newPrivateKey(new SecureRandom()));
            LinkCredentials mine = new LinkCredentials(a, aStatic);
            LinkCredentials peer = new LinkCredentials(b, XxHandshake.publicKey(XxHandshake.newPrivateKey(new SecureRandom())));
            Instant later = SecureNodes.NOW.plus(Duration.ofMinutes(10));
            assertEquals("certificate-expired", assertThrows(LinkCredentials.Refused.class,
                    () -> peer.check(mine.payload(), aStatic, later)).reason);

            NodeCertificate renewed = NodeCertificate.verify(nodes.ca.renew(a.certificate().certificate(), SecureNodes.NOW,
                    Duration.ofDays(1)), nodes.ca.certificate(), SecureNodes.NOW);
            mine.replace(new NodeIdentity(a.key(), renewed, a.ca()));
            assertEquals(a.certificate().address(), peer.check(mine.payload(), aStatic, later).certificate().address());

            assertThrows(IllegalArgumentException.class, () -> mine.replace(b));
            assertEquals(a.certificate().address(), peer.check(mine.payload(), aStatic, later).certificate().address());
        }
    }
}
