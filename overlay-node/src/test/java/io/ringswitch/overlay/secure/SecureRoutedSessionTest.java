package io.ringswitch.overlay.secure;

import static io.ringswitch.overlay.secure.SecureNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.underlay.InboundFrame;
import io.ringswitch.overlay.underlay.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End-to-end sessions over the ring ({@link PeerPath.Routed}): a and b have no link to each other;
 * everything between them is routed through r, an insider with a valid certificate, which records
 * every payload it can open (its hop layer opens the routed messages it carries) and may alter or
 * answer them. The test stands in for the ring's routing: each node's carrier hands its routed
 * message to r over r's own secure link, and r passes it on to the destination's secure link.
 * Three nodes' secure layers over loopback UDP.
 */
class SecureRoutedSessionTest {
    private static final byte[] KNOWN = "a frame with a known payload, 0123456789".getBytes(StandardCharsets.US_ASCII);
    private SecureNodes nodes;

    @BeforeEach
    void setUp() {
        nodes = new SecureNodes();
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    /** r, the node on the route: what it carried, as it could open it, and what it does to each message. */
    private static final class Route {
        final List<byte[]> opened = new CopyOnWriteArrayList<>();
        final Map<RingAddress, SecureNodes.Node> byAddress = new ConcurrentHashMap<>();
        volatile UnaryOperator<RingMessage.Routed> tamper = UnaryOperator.identity();

        Route(SecureNodes.Node r, SecureNodes.Node... sites) throws Exception {
            byAddress.put(r.address(), r);
            for (SecureNodes.Node site : sites) {
                byAddress.put(site.address(), site);
                site.onLoop(() -> {
                    site.security.carrier((to, datagram) -> site.transport.send(r.path(), new RingMessage.Routed(
                            site.address(), to, RoutingMode.EXACT, 16, 0, false, 1, PayloadTypes.SEALED, datagram)));
                    return null;
                });
                site.onMessage = m -> {
                    if (m.message() instanceof RingMessage.Routed routed && routed.payloadType() == PayloadTypes.SEALED) {
                        site.security.fromRing(routed.from(), routed.payload());
                    }
                };
            }
            r.onMessage = m -> {
                if (m.message() instanceof RingMessage.Routed routed) {
                    opened.add(routed.payload());
                    RingMessage.Routed out = tamper.apply(routed.hop());
                    if (out != null) {
                        r.transport.send(byAddress.get(routed.dst()).path(), out);
                    }
                }
            };
        }
    }

    private static void link(SecureNodes.Node... all) {
        for (SecureNodes.Node n : all) {
            for (SecureNodes.Node other : all) {
                if (n != other) {
                    n.route(other);
                }
            }
        }
    }

    private static void sendFrame(SecureNodes.Node from, PeerPath to, byte[] payload) throws Exception {
        from.onLoop(() -> {
            ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(WireFormat.HEADROOM + payload.length + WireFormat.TAILROOM);
            frame.writerIndex(WireFormat.HEADROOM).readerIndex(WireFormat.HEADROOM).writeBytes(payload);
            from.transport.sendFrame(to, frame);
            return null;
        });
    }

    private static byte[] frame(int n) {
        return (new String(KNOWN, StandardCharsets.US_ASCII) + " #" + n).repeat(20).getBytes(StandardCharsets.US_ASCII);
    }

    private static String read(InboundFrame f) {
        byte[] got = new byte[f.frame().readableBytes()];
        f.frame().readBytes(got);
        f.frame().release();
        return new String(got, StandardCharsets.US_ASCII);
    }

    @Test
    void aStreamThatStartsBeforeTheSessionOverTheRingLosesNoneOfItsFirstFrames() throws Exception {
        // A host that starts a stream to a site without a link: its first frames wait for the
        // handshake over the ring (64 did; a 20 Mbit/s stream sends 64 frames in 18 ms).
        int count = 200;
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node r = nodes.node("r"); SecureNodes.Node b = nodes.node("b")) {
            link(a, r, b);
            new Route(r, a, b);
            PeerPath toB = new PeerPath.Routed(b.address());
            a.onLoop(() -> {
                for (int i = 0; i < count; i++) {
                    byte[] payload = (new String(KNOWN, StandardCharsets.US_ASCII) + " #" + i).getBytes(StandardCharsets.US_ASCII);
                    ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(WireFormat.HEADROOM + payload.length
                            + WireFormat.TAILROOM);
                    frame.writerIndex(WireFormat.HEADROOM).readerIndex(WireFormat.HEADROOM).writeBytes(payload);
                    a.transport.sendFrame(toB, frame);
                }
                return null;
            });
            for (int i = 0; i < count; i++) {
                InboundFrame f = b.frames.poll(10, TimeUnit.SECONDS);
                assertNotNull(f, "frame " + i + " of " + count + " arrived");
                assertEquals(new String(KNOWN, StandardCharsets.US_ASCII) + " #" + i, read(f), "in order");
            }
            assertEquals(0, a.refused("queue-overflow"), "none left the queue for want of room");
        }
    }

    @Test
    void framesBetweenSitesWithoutALinkCrossTheRouteSealedAndTheNodeOnTheRouteOpensNoneOfThem() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node r = nodes.node("r"); SecureNodes.Node b = nodes.node("b")) {
            link(a, r, b);
            Route route = new Route(r, a, b);
            List<byte[]> rPipeline = SecureNodes.spy(r);

            // Three frames at once: they wait, sealed never, while the handshake runs over the ring.
            PeerPath toB = new PeerPath.Routed(b.address());
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                sendFrame(a, toB, frame(i));
            }
            for (int i = 0; i < 3; i++) {
                InboundFrame f = b.frames.poll(10, TimeUnit.SECONDS);
                if (i == 0) {
                    System.out.printf("end-to-end session over the ring: first frame after %.1f ms (Noise XX, 1.5 round"
                            + " trips through r, whose own hop sessions were made first; loopback); each frame carries"
                            + " %d bytes more than a routed FRAME did%n",
                            (System.nanoTime() - start) / 1e6, WireFormat.HEADER_LENGTH + WireFormat.RECORD_HEADER
                                    + WireFormat.RECORD_TAG);
                }
                assertEquals(new String(frame(i), StandardCharsets.US_ASCII), read(f), "frame " + i + " whole, in order");
                assertEquals(new PeerPath.Routed(a.address()), f.from(), "over the ring, from a");
                assertEquals(a.address(), f.peer(), "under a's certificate");
            }
            sendFrame(b, new PeerPath.Routed(a.address()), frame(9));
            InboundFrame reply = a.frames.poll(5, TimeUnit.SECONDS);
            assertEquals(new String(frame(9), StandardCharsets.US_ASCII), read(reply));
            assertEquals(b.address(), reply.peer());

            // Everything went through r (a and b never sent to each other), and r opened none of it.
            assertTrue(a.sentTo.stream().allMatch(r.endpoint()::equals), "a sends to r only: " + a.sentTo);
            assertTrue(b.sentTo.stream().allMatch(r.endpoint()::equals), "b sends to r only: " + b.sentTo);
            assertTrue(route.opened.size() >= 7, "3 handshake messages and 4 frames routed: " + route.opened.size());
            assertTrue(route.opened.stream().noneMatch(p -> SecureNodes.contains(p, KNOWN)), "r opened a frame of a's or b's");
            assertTrue(rPipeline.stream().noneMatch(p -> SecureNodes.contains(p, KNOWN)), "a frame went up r's pipeline");
            assertTrue(r.frames.isEmpty());
            for (SecureNodes.Node n : List.of(a, r, b)) {
                assertTrue(n.sent.stream().noneMatch(d -> SecureNodes.contains(d, KNOWN)), n.identity.certificate().name());
            }
        }
    }

    @Test
    void aNodeOnTheRouteThatAltersARecordGetsItRefused() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node r = nodes.node("r"); SecureNodes.Node b = nodes.node("b")) {
            link(a, r, b);
            Route route = new Route(r, a, b);
            PeerPath toB = new PeerPath.Routed(b.address());
            sendFrame(a, toB, frame(0));
            read(b.frames.poll(10, TimeUnit.SECONDS));

            // r flips one byte of each sealed frame's ciphertext: b's AEAD refuses every one.
            route.tamper = m -> {
                byte[] p = m.payload().clone();
                if ((p[3] & 0xff) == WireFormat.TYPE_SEALED_FRAME) {
                    p[p.length - 20] ^= 1;
                }
                return new RingMessage.Routed(m.from(), m.dst(), m.mode(), m.ttl(), m.hops(), m.reliable(), m.id(),
                        m.payloadType(), p);
            };
            for (int i = 1; i <= 3; i++) {
                sendFrame(a, toB, frame(i));
            }
            assertTrue(await(() -> b.refused("record-forged") == 3, 5), "b refused the altered records");
            assertNull(b.frames.poll(), "nothing altered reached b's frame path");
        }
    }

    @Test
    void aMemberOnTheRouteThatAnswersForTheOtherSiteOrSpeaksInItsNameIsRefusedByBoth() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node m = nodes.node("m"); SecureNodes.Node b = nodes.node("b")) {
            link(a, m, b);
            Route route = new Route(m, a, b);
            // m takes every routed datagram for itself, as if it were the destination, and sends its
            // own naming the other site as source: a member that could read `from` off the wire.
            m.onLoop(() -> {
                m.security.carrier((to, datagram) -> m.transport.send(route.byAddress.get(to).path(),
                        new RingMessage.Routed(to.equals(a.address()) ? b.address() : a.address(), to, RoutingMode.EXACT,
                                16, 0, false, 1, PayloadTypes.SEALED, datagram)));
                return null;
            });
            route.tamper = routed -> {
                m.security.fromRing(routed.dst().equals(a.address()) ? b.address() : a.address(), routed.payload());
                return null;
            };

            // a reaches for b: m answers with its own certificate, and a refuses it.
            sendFrame(a, new PeerPath.Routed(b.address()), frame(0));
            assertTrue(await(() -> a.refused("routed-origin-mismatch") >= 1, 5), "a refused m's answer for b");
            // a dropped frame 0, which waited for that handshake.
            assertTrue(await(() -> a.refused("handshake-refused-queue") >= 1, 5));
            // m reaches for b in a's name: b refuses m's certificate on a's path.
            long mHandshakes = m.stats().handshakes();
            sendFrame(m, new PeerPath.Routed(b.address()), frame(1));
            assertTrue(await(() -> b.refused("routed-origin-mismatch") >= 1, 5), "b refused m speaking for a");
            // m thinks its handshake made a session and sent frame 1 on it: b handled all m sent it.
            assertTrue(await(() -> m.stats().handshakes() > mHandshakes, 5));
            b.awaitHandled(m);
            assertNull(b.frames.poll(), "no frame reached b");
            assertTrue(m.frames.isEmpty() && a.frames.isEmpty(), "no frame reached m or a");
            assertFalse(route.opened.stream().anyMatch(p -> SecureNodes.contains(p, KNOWN)), "m opened none of a's frames");
        }
    }

    @Test
    void aSiteThatRestartedAndLostItsKeysGetsFramesAgainWithinASecond() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node r = nodes.node("r")) {
            SecureNodes.Node b = nodes.node("b");
            link(a, r, b);
            new Route(r, a, b);
            PeerPath toB = new PeerPath.Routed(b.address());
            sendFrame(a, toB, frame(0));
            assertEquals(new String(frame(0), StandardCharsets.US_ASCII), read(b.frames.poll(10, TimeUnit.SECONDS)));

            // b restarts: the same certificate, no session. a still holds the old one and seals under it.
            NodeIdentity identity = b.identity;
            b.close();
            try (SecureNodes.Node b2 = nodes.node(identity, SessionSettings.defaults(), java.time.Instant::now)) {
                link(a, r, b2);
                new Route(r, a, b2);
                long restarted = System.nanoTime();
                InboundFrame got = null;
                for (int i = 1; got == null && System.nanoTime() - restarted < TimeUnit.SECONDS.toNanos(5); i++) {
                    sendFrame(a, toB, frame(i));
                    got = b2.frames.poll(200, TimeUnit.MILLISECONDS);
                }
                long ms = (System.nanoTime() - restarted) / 1_000_000;
                // Before b answered a's stale records with a handshake, a sealed for the lost keys
                // until it had heard nothing for 6 s, and every frame in between was lost.
                assertTrue(got != null && ms < 3_000, "a frame reached the restarted b after " + ms + " ms");
                assertEquals(b2.address(), b.address());
                read(got);
            }
        }
    }
}
