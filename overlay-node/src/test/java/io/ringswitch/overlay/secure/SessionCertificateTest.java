package io.ringswitch.overlay.secure;

import static io.ringswitch.overlay.secure.SecureNodes.await;
import static io.ringswitch.overlay.secure.SecureNodes.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions and the certificates that opened them (issue 19's short-lived certificates): a session
 * never outlives either certificate its handshake proved, and a node whose certificate is renewed
 * proves the new one to its peers before the old one ends, without losing a message. Each node's
 * clock (monotonic and wall) is moved forward by the test instead of waiting.
 */
class SessionCertificateTest {
    private SecureNodes nodes;

    @BeforeEach
    void setUp() {
        nodes = new SecureNodes();
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    /** A node whose two clocks run {@code shift} ahead of the real ones. */
    private SecureNodes.Node node(NodeIdentity identity, AtomicLong shift) throws Exception {
        Supplier<Instant> wall = () -> Instant.now().plusNanos(shift.get());
        return nodes.new Node(identity, SessionSettings.defaults(), shift, wall,
                new InetSocketAddress("127.0.0.1", 0), null);
    }

    private static void send(SecureNodes.Node from, SecureNodes.Node to, RingMessage m) throws Exception {
        from.onLoop(() -> {
            from.transport.send(to.path(), m);
            return null;
        });
    }

    private static void exchange(SecureNodes.Node a, SecureNodes.Node b, long first, int count) throws Exception {
        for (long i = first; i < first + count; i++) {
            send(a, b, ping(a, i));
            assertEquals(ping(a, i), b.messages.poll(5, TimeUnit.SECONDS).message(), "a to b, message " + i);
            send(b, a, ping(b, i));
            assertEquals(ping(b, i), a.messages.poll(5, TimeUnit.SECONDS).message(), "b to a, message " + i);
        }
    }

    /**
     * Every handshake either node started has ended on both sides: none is under way at either, and
     * both counted the same number established (each handshake here is between the two, and the
     * responder counts its end of one after the initiator).
     */
    private static boolean settled(SecureNodes.Node a, SecureNodes.Node b) throws Exception {
        return a.onLoop(a.security::handshakesUnderway) == 0 && b.onLoop(b.security::handshakesUnderway) == 0
                && a.onLoop(a.security::handshakesQueued) == 0 && b.onLoop(b.security::handshakesQueued) == 0
                && a.stats().handshakes() == b.stats().handshakes();
    }

    @Test
    void aPeerThatKeepsSealingOnASessionWhoseCertificateEndedIsRefused() throws Exception {
        AtomicLong aShift = new AtomicLong();
        NodeIdentity shortLived = SecureNodes.identity(nodes.ca, "b", Instant.now(), Duration.ofSeconds(100));
        try (SecureNodes.Node a = node(SecureNodes.identity(nodes.ca, "a", SecureNodes.NOW, Duration.ofDays(1)), aShift);
             SecureNodes.Node b = node(shortLived, new AtomicLong())) {
            exchange(a, b, 1, 3);
            // Only a's clocks pass b's certificate's end: b (the attacker here) believes its
            // session still good and keeps sealing on it, well inside the 180 s a session lives.
            aShift.addAndGet(Duration.ofSeconds(101).toNanos());
            long refusedBefore = a.refused("record-certificate-ended") + a.refused("record-unknown-receiver");
            send(b, a, ping(b, 10));
            assertTrue(await(() -> a.refused("record-certificate-ended") + a.refused("record-unknown-receiver")
                            > refusedBefore, 5),
                    "counted as refused: " + a.stats().refused());
            // The ping's record itself, not another record of b's before it, was handled.
            a.awaitHandled(b);
            assertNull(a.messages.poll(), "nothing b seals on the old session is taken");
            assertTrue(await(() -> a.stats().sessions() == 0, 5), "a dropped the session: " + a.stats());
            assertTrue(await(() -> a.refused("certificate-expired") >= 1, 10),
                    "b's handshake with its ended certificate is refused: " + a.stats().refused());
            // b's handshake has ended at b (made, as b sees it, and what waited for it sent; or given
            // up), and a handled all b sent it.
            assertTrue(await(() -> b.onLoop(b.security::handshakesUnderway) == 0
                    && b.onLoop(b.security::handshakesQueued) == 0, 10));
            a.awaitHandled(b);
            assertNull(a.messages.poll(), "and nothing b queued for the new session reached a");
        }
    }

    @Test
    void aRenewedCertificateIsProvedToThePeerBeforeTheOldOneEndsWithoutLosingAMessage() throws Exception {
        AtomicLong shift = new AtomicLong();
        NodeIdentity first = SecureNodes.identity(nodes.ca, "a", Instant.now(), Duration.ofSeconds(100));
        try (SecureNodes.Node a = node(first, shift);
             SecureNodes.Node b = node(SecureNodes.identity(nodes.ca, "b", SecureNodes.NOW, Duration.ofDays(1)), shift)) {
            exchange(a, b, 1, 3);
            long handshakes = b.stats().handshakes();
            NodeCertificate renewed = NodeCertificate.verify(nodes.ca.renew(first.certificate().certificate(), Instant.now(),
                    Duration.ofHours(1)), nodes.ca.certificate(), Instant.now());
            a.security.renewIdentity(new NodeIdentity(first.key(), renewed, first.ca()));
            assertTrue(await(() -> b.stats().handshakes() > handshakes, 10),
                    "a proves its renewed certificate to b unasked: " + b.stats());
            exchange(a, b, 10, 5);
            // Both clocks now pass the first certificate's end: the session it opened is gone, the
            // renewed one carries every message, and none ended without a replacement.
            shift.addAndGet(Duration.ofSeconds(101).toNanos());
            exchange(a, b, 20, 20);
            assertEquals(1, a.stats().sessions());
            assertEquals(0, a.refused("session-certificate-ended") + b.refused("session-certificate-ended"));
            assertEquals(0, b.refused("record-certificate-ended") + a.refused("record-certificate-ended"));
        }
    }

    @Test
    void aSessionWhosePeerCertificateEndsSoonIsRenewedOnceByTheSender() throws Exception {
        AtomicLong shift = new AtomicLong();
        NodeIdentity shortLived = SecureNodes.identity(nodes.ca, "b", Instant.now(), Duration.ofSeconds(100));
        try (SecureNodes.Node a = node(SecureNodes.identity(nodes.ca, "a", SecureNodes.NOW, Duration.ofDays(1)), shift);
             SecureNodes.Node b = node(shortLived, shift)) {
            exchange(a, b, 1, 3);
            long handshakes = a.stats().handshakes();
            // Inside the last 10 s of b's certificate: the next message either side sends starts a
            // handshake (the peer may have renewed without saying so); the session it makes still
            // ends with b's certificate and is not renewed again.
            shift.addAndGet(Duration.ofSeconds(92).toNanos());
            exchange(a, b, 10, 5);
            assertTrue(await(() -> a.stats().handshakes() > handshakes, 5), "renewed: " + a.stats());
            assertTrue(await(() -> settled(a, b), 5), "every handshake started has ended: " + a.stats());
            long renewed = a.stats().handshakes();
            assertTrue(renewed <= handshakes + 2, "one renewal from each side at most: " + a.stats());
            // A renewal starts on the send that finds it due, so one these messages started is under
            // way when exchange returns, and settled waits until both sides counted it.
            exchange(a, b, 20, 5);
            assertTrue(await(() -> settled(a, b), 5), "every handshake started has ended: " + a.stats());
            assertEquals(renewed, a.stats().handshakes(), "and no more: " + a.stats());
        }
    }

    @Test
    void aNodeWhoseOwnCertificateEndedStartsNoHandshake() throws Exception {
        AtomicLong aShift = new AtomicLong();
        NodeIdentity shortLived = SecureNodes.identity(nodes.ca, "a", Instant.now(), Duration.ofSeconds(100));
        try (SecureNodes.Node a = node(shortLived, aShift);
             SecureNodes.Node b = node(SecureNodes.identity(nodes.ca, "b", SecureNodes.NOW, Duration.ofDays(1)), new AtomicLong())) {
            exchange(a, b, 1, 2);
            aShift.addAndGet(Duration.ofSeconds(101).toNanos());
            assertTrue(await(() -> a.stats().sessions() == 0, 5), "a's session ended with its own certificate");
            long handshakes = b.stats().handshakes();
            send(a, b, ping(a, 10));
            assertTrue(await(() -> a.refused("own-certificate-expired") >= 1, 5), a.stats().refused().toString());
            // a dropped the message on the send that found its own certificate ended: nothing is on its way.
            assertNull(b.messages.poll());
            assertEquals(handshakes, b.stats().handshakes());
            assertEquals(0, b.refused("certificate-expired"), "b was not even asked");
        }
    }
}
