package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.api.NatConfig;
import static io.ringswitch.overlay.secure.SecureNodes.ping;
import static io.ringswitch.overlay.secure.SecureNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.underlay.InboundMessage;
import io.ringswitch.overlay.underlay.PathChanged;
import io.ringswitch.overlay.underlay.WireFormat;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions that follow a peer whose NAT maps it anew (roaming), what must not move them, and the
 * keepalives that hold NAT mappings open: two nodes' secure layers over loopback UDP, one of them
 * behind a {@link LoopbackNat}.
 */
class SecureRoamingTest {
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

    private static RingMessage received(SecureNodes.Node at) throws InterruptedException {
        InboundMessage m = at.messages.poll(5, TimeUnit.SECONDS);
        return m == null ? null : m.message();
    }

    @Test
    void aPeerWhoseNatMapsItAnewKeepsItsSessionAndTheRingIsToldItsNewPathFirst() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b"); LoopbackNat nat = new LoopbackNat(a)) {
            PeerPath.Udp bForA = b.path();
            SecureNodes.send(a, bForA, ping(a, 1));
            InboundMessage first = b.messages.poll(5, TimeUnit.SECONDS);
            // b keys the session by the source it saw (a's mapping), and the ring gets that path.
            assertEquals(new PeerPath.Udp(nat.mapped()), first.from());
            SecureNodes.send(b, first.from(), ping(b, 2));
            assertEquals(ping(b, 2), received(a));
            long handshakes = b.stats().handshakes();
            InetSocketAddress before = nat.mapped();

            nat.holdNext();
            SecureNodes.send(a, bForA, ping(a, 3));
            assertTrue(await(() -> !nat.held.isEmpty(), 5));
            byte[] late = nat.held.take();
            assertEquals(WireFormat.TYPE_SEALED_RING, SecureNodes.headerType(late));

            nat.rebind();
            long rebound = System.nanoTime();
            SecureNodes.send(a, bForA, ping(a, 4));
            InboundMessage moved = b.messages.poll(5, TimeUnit.SECONDS);
            assertEquals(ping(a, 4), moved.message());
            PathChanged change = b.moves.poll();
            assertEquals(new PathChanged(a.identity.certificate().address(), new PeerPath.Udp(nat.mapped())), change,
                    "the ring hears of the new path before the record that showed it");
            assertNotEquals(before, nat.mapped());
            assertEquals(change.path(), moved.from());
            // Where the ring now has the link, b's answer goes, on the same session.
            SecureNodes.send(b, change.path(), ping(b, 5));
            assertEquals(ping(b, 5), received(a));
            System.out.printf("roaming: a rebound mapping carried a round trip again after %.1f ms%n",
                    (System.nanoTime() - rebound) / 1e6);
            assertEquals(1, b.roamed());
            assertEquals(handshakes, b.stats().handshakes(), "no new handshake");
            assertEquals(1, b.stats().sessions());

            // A record delayed from the old mapping still opens, but does not move the peer back.
            b.inject(late, before);
            assertEquals(ping(a, 3), received(b));
            assertEquals(1, b.roamed());
            // The late record was handled in full (inject returns once it has, and it was delivered):
            // a move would have been told before the message.
            assertNull(b.moves.poll());
            SecureNodes.send(b, change.path(), ping(b, 6));
            assertEquals(ping(b, 6), received(a));
            assertEquals(0, a.roamed());
        }
    }

    @Test
    void aReplayedOrForgedRecordOrAHandshakeFromANewSourceMovesNothing() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b")) {
            SecureNodes.send(a, b.path(), ping(a, 1));
            assertEquals(ping(a, 1), received(b));
            byte[] record = a.sent.stream().filter(d -> SecureNodes.headerType(d) == WireFormat.TYPE_SEALED_RING)
                    .reduce((x, y) -> y).orElseThrow();
            byte[] init = a.sent.stream().filter(d -> SecureNodes.headerType(d) == WireFormat.TYPE_HANDSHAKE_INIT)
                    .findFirst().orElseThrow();
            InetSocketAddress spoofed = new InetSocketAddress("127.0.0.9", 4444);
            b.inject(record, spoofed);
            // A counter never seen (the replay window lets it through), under the wrong tag.
            byte[] forged = record.clone();
            forged[WireFormat.HEADER_LENGTH + 11] ^= 0x40;
            b.inject(forged, spoofed);
            b.inject(init, spoofed);
            assertEquals(1, b.refused("record-replayed"));
            assertEquals(1, b.refused("record-forged"));
            assertEquals(0, b.roamed());
            // The records were handled on the injects; the handshake went on to the handshake thread.
            b.awaitHandshakeWork();
            assertNull(b.moves.poll());
            assertNull(b.messages.poll());
            // b's records still go to a where a is.
            SecureNodes.send(b, a.path(), ping(b, 2));
            assertEquals(ping(b, 2), received(a));
            SecureNodes.send(a, b.path(), ping(a, 3));
            assertEquals(a.path(), b.messages.poll(5, TimeUnit.SECONDS).from());
        }
    }

    @Test
    void aMemberCannotTakeAnotherMembersEndpointWithItsOwnRecords() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b"); SecureNodes.Node c = nodes.node("c");
             LoopbackNat nat = new LoopbackNat(c)) {
            SecureNodes.send(a, b.path(), ping(a, 1));
            assertEquals(ping(a, 1), received(b));
            SecureNodes.send(c, b.path(), ping(c, 2));
            assertEquals(ping(c, 2), received(b));
            // An authentic record of c, never delivered, sent with a's endpoint as its source.
            nat.holdNext();
            SecureNodes.send(c, b.path(), ping(c, 3));
            assertTrue(await(() -> !nat.held.isEmpty(), 5));
            b.inject(nat.held.take(), a.endpoint());
            assertEquals(1, b.refused("roam-endpoint-taken"));
            assertEquals(0, b.roamed());
            // inject returned once b had handled (and refused) the record.
            assertNull(b.messages.poll());
            assertTrue(b.moves.isEmpty());
            // Both links go on as before.
            SecureNodes.send(b, a.path(), ping(b, 4));
            assertEquals(ping(b, 4), received(a));
            SecureNodes.send(c, b.path(), ping(c, 5));
            InboundMessage m = b.messages.poll(5, TimeUnit.SECONDS);
            assertEquals(ping(c, 5), m.message());
            assertEquals(new PeerPath.Udp(nat.mapped()), m.from());
        }
    }

    @Test
    void aPeersHandshakeFromAnotherEndpointThanOursWentToIsKeyedWhereItCameFrom() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b")) {
            // a asks for b where b is not (a NAT gave b another port towards a): nothing answers there.
            InetSocketAddress nobody;
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                nobody = (InetSocketAddress) s.getLocalSocketAddress();
            }
            SecureNodes.send(a, new PeerPath.Udp(nobody), ping(a, 1));
            // b's own handshake reaches a from b's real source: a keys it there, and the ring gets that path.
            SecureNodes.send(b, a.path(), ping(b, 2));
            InboundMessage m = a.messages.poll(5, TimeUnit.SECONDS);
            assertEquals(ping(b, 2), m.message());
            assertEquals(b.path(), m.from());
            assertEquals(1, a.stats().sessions());
            // a's own handshake waits for an answer from where it went only, and gives up after its
            // five attempts (1, 2, 4, 4 s apart, then 4 s for the last).
            for (int i = 0; i < 20 && a.refused("handshake-timeout") == 0; i++) {
                a.clockOffset.addAndGet(SECOND);
                a.awaitTick();
            }
            assertEquals(1, a.refused("handshake-timeout"));
            assertEquals(1, a.refused("handshake-timeout-queue"));
            // The ping waited there until the handshake gave up and was dropped with it, never sent.
            assertNull(b.messages.poll(), "what waits for the other endpoint is not sent to b");
            assertEquals(0, a.roamed());
            SecureNodes.send(a, m.from(), ping(a, 3));
            assertEquals(ping(a, 3), received(b));
        }
    }

    @Test
    void anIdlePeerGetsKeepalivesAndABusyOneNone() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b")) {
            SecureNodes.send(a, b.path(), ping(a, 0));
            assertEquals(ping(a, 0), received(b));
            assertTrue(await(() -> a.stats().sessions() == 1 && b.stats().sessions() == 1, 5));
            // Busy: 20 s of the nodes' clocks, a message each way every second.
            for (int i = 1; i <= 20; i++) {
                a.clockOffset.addAndGet(SECOND);
                b.clockOffset.addAndGet(SECOND);
                SecureNodes.send(a, b.path(), ping(a, i));
                assertEquals(ping(a, i), received(b));
                SecureNodes.send(b, a.path(), ping(b, i));
                assertEquals(ping(b, i), received(a));
            }
            a.awaitTick();
            b.awaitTick();
            assertEquals(0, a.keepalivesSent(), "none while records flow");
            assertEquals(0, b.keepalivesSent());
            long sealed = keepalivesOnTheWire(a);

            // a hears nothing and sends nothing: after 5 s one keepalive, in case its NAT moved it.
            a.clockOffset.addAndGet(5 * SECOND + SECOND / 2);
            assertTrue(await(() -> a.keepalivesSent() == 1, 2), "one after the peer fell silent");
            a.clockOffset.addAndGet(5 * SECOND + SECOND / 2);
            a.awaitTick();
            assertEquals(1, a.keepalivesSent(), "one per silence");
            // 15 s after the last record sent (that keepalive): the interval's holds the mapping.
            a.clockOffset.addAndGet(8 * SECOND);
            a.awaitTick();
            assertEquals(1, a.keepalivesSent());
            a.clockOffset.addAndGet(2 * SECOND);
            assertTrue(await(() -> a.keepalivesSent() == 2, 2), "one after 15 s without sending");
            assertEquals(sealed + 2, keepalivesOnTheWire(a));
            // Each opened at b as an authentic record of the session, and went no further.
            b.awaitHandled(a);
            assertEquals(0, b.refused("record-replayed") + b.refused("record-forged") + b.refused("record-unknown-receiver"));
            assertNull(b.messages.poll());
            assertEquals(0, b.roamed());
        }
    }

    @Test
    void theKeepaliveIntervalComesFromTheNodesNatSettings() {
        assertEquals(30 * SECOND, SessionSettings.of(new NatConfig(30, "latency", true)).keepaliveNanos());
        assertEquals(15 * SECOND, SessionSettings.of(null).keepaliveNanos());
    }

    private static long keepalivesOnTheWire(SecureNodes.Node n) {
        return n.sent.stream().filter(d -> SecureNodes.headerType(d) == WireFormat.TYPE_SEALED_KEEPALIVE).count();
    }
}
