package io.ringswitch.overlay.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.noise.XxHandshake;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The identity payload: what passes, and that nothing altered or rebound does. */
class LinkCredentialsTest {
    private final SecureNodes nodes = new SecureNodes();

    @Test
    void aPeersPayloadPassesOnlyForTheStaticKeyItSigned() throws Exception {
        NodeIdentity a = SecureNodes.identity(nodes.ca, "a", SecureNodes.NOW, Duration.ofDays(1));
        NodeIdentity b = SecureNodes.identity(nodes.ca, "b", SecureNodes.NOW, Duration.ofDays(1));
        byte[] bStatic = XxHandshake.publicKey(XxHandshake.newPrivateKey(new SecureRandom()));
        byte[] otherStatic = XxHandshake.publicKey(XxHandshake.newPrivateKey(new SecureRandom()));
        LinkCredentials mine = new LinkCredentials(a, XxHandshake.publicKey(XxHandshake.newPrivateKey(new SecureRandom())));
        byte[] payload = new LinkCredentials(b, bStatic).payload();
        assertEquals(b.certificate().address(), mine.check(payload, bStatic, Instant.now()).certificate().address());
        assertEquals("binding-signature", assertThrows(LinkCredentials.Refused.class,
                () -> mine.check(payload, otherStatic, Instant.now())).reason);
        assertEquals("certificate-expired", assertThrows(LinkCredentials.Refused.class,
                () -> mine.check(payload, bStatic, Instant.now().plus(Duration.ofDays(2)))).reason);
        assertEquals("handshake-self", assertThrows(LinkCredentials.Refused.class,
                () -> mine.check(new LinkCredentials(a, bStatic).payload(), bStatic, Instant.now())).reason);
        nodes.close();
    }

    @Test
    void seededMutationsOfAPayloadAreAllRefused() throws Exception {
        NodeIdentity a = SecureNodes.identity(nodes.ca, "a", SecureNodes.NOW, Duration.ofDays(1));
        NodeIdentity b = SecureNodes.identity(nodes.ca, "b", SecureNodes.NOW, Duration.ofDays(1));
        byte[] bStatic = XxHandshake.publicKey(XxHandshake.newPrivateKey(new SecureRandom()));
        LinkCredentials mine = new LinkCredentials(a, XxHandshake.publicKey(XxHandshake.newPrivateKey(new SecureRandom())));
        byte[] payload = new LinkCredentials(b, bStatic).payload();
        Random random = new Random(8);
        for (int i = 0; i < 2000; i++) {
            byte[] m = payload.clone();
            if (i % 4 == 0) {
                m = Arrays.copyOf(m, random.nextInt(m.length));
            } else {
                m[random.nextInt(m.length)] ^= (byte) (1 + random.nextInt(255));
            }
            byte[] mutated = m;
            assertThrows(LinkCredentials.Refused.class, () -> mine.check(mutated, bStatic, Instant.now()), "mutation " + i);
        }
        nodes.close();
    }
}
