package io.ringswitch.overlay.secure;

import static io.ringswitch.overlay.secure.SecureNodes.await;
import static io.ringswitch.overlay.secure.SecureNodes.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.underlay.InboundMessage;
import io.ringswitch.overlay.underlay.WireFormat;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Insider cases of issue 18 item 5: a member M with a valid certificate of the group sits on the
 * path of an honest peer P (it can send from P's endpoint and sees what A sends there) and answers
 * the handshakes A runs on P's path, or starts one there itself. A session belongs to a path and
 * to the ring address that path was first keyed with: A refuses M there, keeps its sessions with P,
 * and seals nothing meant for P under M's keys. M's datagrams are muted and carried by the test,
 * as an on-path attacker would carry them.
 */
class SessionIdentityTest {
    private static final long SECOND = 1_000_000_000L;
    private SecureNodes nodes;

    @BeforeEach
    void setUp() {
        nodes = new SecureNodes();
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    /** The last datagram of {@code type} that {@code from} sent to {@code to} after the {@code skip} first, or null. */
    private static byte[] latest(SecureNodes.Node from, int type, InetSocketAddress to, int skip) {
        byte[] found = null;
        for (int i = skip; i < from.sent.size(); i++) {
            if (SecureNodes.headerType(from.sent.get(i)) == type && (to == null || to.equals(from.sentTo.get(i)))) {
                found = from.sent.get(i);
            }
        }
        return found;
    }

    /** A and P linked both ways, each having heard the other. */
    private static void link(SecureNodes.Node a, SecureNodes.Node p) throws Exception {
        SecureNodes.send(a, p.path(), ping(a, 1));
        assertEquals(ping(a, 1), p.messages.poll(5, TimeUnit.SECONDS).message());
        SecureNodes.send(p, a.path(), ping(p, 2));
        assertEquals(ping(p, 2), a.messages.poll(5, TimeUnit.SECONDS).message());
        assertTrue(await(() -> a.stats().sessions() == 1, 5));
    }

    /**
     * What A sends to P's endpoint now: P must get it under P's session, and M, handed a copy of
     * the record as from A, must open nothing.
     */
    private static void onlyPReads(SecureNodes.Node a, SecureNodes.Node p, SecureNodes.Node m, long nonce) throws Exception {
        int before = a.sent.size();
        SecureNodes.send(a, p.path(), ping(a, nonce));
        assertTrue(await(() -> latest(a, WireFormat.TYPE_SEALED_RING, p.endpoint(), before) != null, 5));
        m.inject(latest(a, WireFormat.TYPE_SEALED_RING, p.endpoint(), before), a.endpoint());
        // inject returns once M's pipeline has handled the record.
        assertNull(m.messages.poll(), "M opens nothing A meant for P");
        InboundMessage got = p.messages.poll(5, TimeUnit.SECONDS);
        assertEquals(ping(a, nonce), got == null ? null : got.message(), "P still gets what A sends it");
    }

    @Test
    void aMemberAnsweringARekeyMeantForAnotherIsRefusedAndTheOldSessionStays() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node p = nodes.node("p"); SecureNodes.Node m = nodes.node("m")) {
            link(a, p);
            long handshakes = a.stats().handshakes();
            m.muted = true;
            // P does not hear A's new handshake; M does, on P's path.
            p.deaf.add(WireFormat.TYPE_HANDSHAKE_INIT);
            int mark = a.sent.size();
            a.clockOffset.addAndGet(121 * SECOND);
            SecureNodes.send(a, p.path(), ping(a, 3));
            assertEquals(ping(a, 3), p.messages.poll(5, TimeUnit.SECONDS).message());
            assertTrue(await(() -> latest(a, WireFormat.TYPE_HANDSHAKE_INIT, p.endpoint(), mark) != null, 5), "A rekeys");
            m.inject(latest(a, WireFormat.TYPE_HANDSHAKE_INIT, p.endpoint(), mark), a.endpoint());
            assertTrue(await(() -> latest(m, WireFormat.TYPE_HANDSHAKE_RESPONSE, null, 0) != null, 5));
            a.inject(latest(m, WireFormat.TYPE_HANDSHAKE_RESPONSE, null, 0), p.endpoint());
            // M carries on as far as A lets it: A's message 3, then a record of M's from P's endpoint.
            await(() -> a.refused("responder-not-peer") > 0
                    || latest(a, WireFormat.TYPE_HANDSHAKE_FINISH, p.endpoint(), mark) != null, 5);
            byte[] finish = latest(a, WireFormat.TYPE_HANDSHAKE_FINISH, p.endpoint(), mark);
            if (finish != null) {
                // The record the new session's initiator sends at once, which confirms it at M.
                int after = a.sent.indexOf(finish);
                await(() -> latest(a, WireFormat.TYPE_SEALED_KEEPALIVE, p.endpoint(), after) != null, 2);
                byte[] keepalive = latest(a, WireFormat.TYPE_SEALED_KEEPALIVE, p.endpoint(), after);
                m.inject(finish, a.endpoint());
                if (keepalive != null) {
                    m.inject(keepalive, a.endpoint());
                }
                int mSent = m.sent.size();
                SecureNodes.send(m, a.path(), ping(m, 4));
                await(() -> latest(m, WireFormat.TYPE_SEALED_RING, null, mSent) != null, 2);
                byte[] record = latest(m, WireFormat.TYPE_SEALED_RING, null, mSent);
                if (record != null) {
                    a.inject(record, p.endpoint());
                    a.messages.poll(1, TimeUnit.SECONDS);
                }
            }

            onlyPReads(a, p, m, 5);
            assertEquals(1, a.refused("responder-not-peer"), "A refused M's certificate on P's path");
            assertEquals(handshakes, a.stats().handshakes(), "no session was made with M");
            assertEquals(1, a.stats().sessions());
        }
    }

    @Test
    void aMemberStartingAHandshakeFromAnotherMembersEndpointGetsNoSessionThere() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node p = nodes.node("p"); SecureNodes.Node m = nodes.node("m")) {
            link(a, p);
            m.muted = true;
            // M starts a handshake with A and sends it, and all that follows, from P's endpoint.
            SecureNodes.send(m, a.path(), ping(m, 3));
            assertTrue(await(() -> latest(m, WireFormat.TYPE_HANDSHAKE_INIT, null, 0) != null, 5));
            int mark = a.sent.size();
            a.inject(latest(m, WireFormat.TYPE_HANDSHAKE_INIT, null, 0), p.endpoint());
            assertTrue(await(() -> latest(a, WireFormat.TYPE_HANDSHAKE_RESPONSE, p.endpoint(), mark) != null, 5));
            m.inject(latest(a, WireFormat.TYPE_HANDSHAKE_RESPONSE, p.endpoint(), mark), a.endpoint());
            assertTrue(await(() -> latest(m, WireFormat.TYPE_HANDSHAKE_FINISH, null, 0) != null
                    && latest(m, WireFormat.TYPE_SEALED_RING, null, 0) != null, 5));
            a.inject(latest(m, WireFormat.TYPE_HANDSHAKE_FINISH, null, 0), p.endpoint());
            assertTrue(await(() -> a.refused("initiator-not-peer") > 0 || a.stats().handshakes() > 1, 5));
            a.inject(latest(m, WireFormat.TYPE_SEALED_RING, null, 0), p.endpoint());
            // inject returns once A's pipeline has handled the record.
            InboundMessage got = a.messages.poll();

            assertNull(got, "no record of M's opens on P's path");
            assertEquals(1, a.refused("initiator-not-peer"));
            onlyPReads(a, p, m, 5);
        }
    }
}
