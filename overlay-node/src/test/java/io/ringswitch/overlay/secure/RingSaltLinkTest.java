package io.ringswitch.overlay.secure;

import static io.ringswitch.overlay.secure.SecureNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.security.CaSignedCertificates;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * At the link handshake, a certificate the CA signed before ring addresses were salted (its
 * address the SHA-1 of its key alone, which its holder may have ground) is refused, and counted as
 * {@code certificate-no-ring-salt}.
 */
class RingSaltLinkTest {
    private SecureNodes nodes;

    @BeforeEach
    void setUp() {
        nodes = new SecureNodes();
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    @Test
    void aNodeWithAnUnsaltedCertificateNeverLinks() throws Exception {
        KeyPair key = GroupCa.newKeyPair();
        byte[] raw = SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()).getPublicKeyData().getBytes();
        RingAddress keyOnly = RingAddress.of(MessageDigest.getInstance("SHA-1").digest(raw));
        NodeIdentity old = new NodeIdentity(key.getPrivate(), NodeCertificate.readUnverified(CaSignedCertificates.sign(nodes.ca,
                new X500Name("O=lab,CN=old"), key.getPublic(), Optional.empty(), keyOnly, SecureNodes.NOW)), nodes.ca.certificate());
        try (SecureNodes.Node a = nodes.node("a");
             SecureNodes.Node o = nodes.node(old, SessionSettings.defaults(), Instant::now)) {
            o.onLoop(() -> {
                o.transport.send(a.path(), new RingMessage.Ping(keyOnly, 1, null));
                return null;
            });
            assertTrue(await(() -> a.refused("certificate-no-ring-salt") > 0, 5));
            // o thinks its handshake made a session and sent its ping on it: a handled all of it.
            assertTrue(await(() -> o.stats().handshakes() >= 1, 5));
            a.awaitHandled(o);
            assertNull(a.messages.poll());
            assertEquals(0, a.stats().sessions());
        }
    }
}
