package io.ringswitch.overlay.secure;

import static io.ringswitch.overlay.secure.SecureNodes.await;
import static io.ringswitch.overlay.secure.SecureNodes.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.security.RevocationRecord;
import io.ringswitch.overlay.security.Revocations;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A revoked member R on real loopback sockets (issue 19): A's live session with it closes as soon
 * as A learns the revocation, and R's new handshakes (a rekey, or R restarted with its old
 * certificate) are refused with the counter {@code revoked}; a third member B is untouched.
 */
class RevokedPeerTest {
    private SecureNodes nodes;

    @BeforeEach
    void setUp() {
        nodes = new SecureNodes();
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    private static void link(SecureNodes.Node a, SecureNodes.Node p, long nonce) throws Exception {
        SecureNodes.send(p, a.path(), ping(p, nonce));
        assertEquals(ping(p, nonce), a.messages.poll(5, TimeUnit.SECONDS).message());
    }

    /** A learns that R is revoked, and acts on it on its loop as the node does. */
    private Revocations revoke(SecureNodes.Node a, SecureNodes.Node r) throws Exception {
        Revocations revocations = new Revocations(nodes.ca.certificate(), null);
        a.security.revocations(revocations);
        revocations.listen((record, source) -> {
            try {
                a.onLoop(() -> a.security.closeRevoked(revocations));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        revocations.learn(RevocationRecord.issue(nodes.ca, r.identity.certificate().certificate(), System.currentTimeMillis()),
                Revocations.Source.BROADCAST);
        return revocations;
    }

    @Test
    void aRevokedMembersLiveSessionClosesAtOnceAndItsNextHandshakeIsRefused() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node r = nodes.node("r"); SecureNodes.Node b = nodes.node("b")) {
            link(a, r, 1);
            link(a, b, 2);
            assertTrue(await(() -> a.stats().sessions() == 2, 5));

            revoke(a, r);
            assertTrue(await(() -> a.stats().sessions() == 1, 2), "R's session closed within the second");
            assertEquals(1L, a.onLoop(a.security::revokedPeersClosed));

            // R still holds its keys and seals: nothing of it reaches A.
            SecureNodes.send(r, a.path(), ping(r, 3));
            a.awaitHandled(r);
            assertNull(a.messages.poll(), "a record on the closed session opens nothing");
            // B goes on.
            SecureNodes.send(b, a.path(), ping(b, 4));
            assertEquals(ping(b, 4), a.messages.poll(5, TimeUnit.SECONDS).message());
        }
    }

    @Test
    void aRevokedMemberRestartedWithItsOldCertificateNeverLinks() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node r = nodes.node("r")) {
            revoke(a, r);
            // The same certificate and key, a fresh process: a handshake from scratch.
            try (SecureNodes.Node restarted = nodes.node(r.identity, SessionSettings.defaults(), java.time.Instant::now)) {
                SecureNodes.send(restarted, a.path(), ping(restarted, 5));
                assertTrue(await(() -> a.refused("revoked") >= 1, 5), "A refused the handshake as revoked");
                // R thinks its handshake made a session and sent its ping on it: A handled all of it.
                assertTrue(await(() -> restarted.stats().handshakes() >= 1, 5));
                a.awaitHandled(restarted);
                assertNull(a.messages.poll());
                assertEquals(0, a.stats().sessions());
                // And when A is the one that starts.
                SecureNodes.send(a, restarted.path(), ping(a, 6));
                assertTrue(await(() -> a.refused("revoked") >= 2, 5), "A refused R's answer as revoked");
                // A dropped the ping that waited for that handshake: it never leaves A.
                assertTrue(await(() -> a.refused("handshake-refused-queue") >= 1, 5));
                assertNull(restarted.messages.poll());
            }
        }
    }
}
