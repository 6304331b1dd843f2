package io.ringswitch.overlay.secure;

import static io.ringswitch.overlay.secure.SecureNodes.ping;
import static io.ringswitch.overlay.secure.SecureNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.underlay.InboundFrame;
import io.ringswitch.overlay.underlay.InboundMessage;
import io.ringswitch.overlay.underlay.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes' secure link layers over real loopback UDP: what links, what is refused, and why. */
class SecureLinkTest {
    private SecureNodes nodes;

    @BeforeEach
    void setUp() {
        nodes = new SecureNodes();
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    private static void send(SecureNodes.Node from, SecureNodes.Node to, RingMessage m) throws Exception {
        from.onLoop(() -> {
            from.transport.send(to.path(), m);
            return null;
        });
    }

    @Test
    void aMessageCrossesSealedAndArrivesBoundToTheSendersCertificate() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b")) {
            send(a, b, ping(a, 1));
            InboundMessage m = b.messages.poll(5, TimeUnit.SECONDS);
            assertEquals(ping(a, 1), m.message());
            assertEquals(a.endpoint(), ((io.ringswitch.overlay.ring.PeerPath.Udp) m.from()).endpoint());
            send(b, a, ping(b, 2));
            assertEquals(ping(b, 2), a.messages.poll(5, TimeUnit.SECONDS).message());
            assertEquals(1, a.stats().sessions());
            assertEquals(1, b.stats().sessions());
            // On the wire: the three handshake messages, then only records; the ping's bytes never in clear.
            for (byte[] d : a.sent) {
                int type = SecureNodes.headerType(d);
                assertTrue(type >= WireFormat.TYPE_SEALED_RING, "only sealed records and handshakes leave, not type " + type);
            }
            assertTrue(a.sent.stream().anyMatch(d -> SecureNodes.headerType(d) == WireFormat.TYPE_HANDSHAKE_INIT));
            assertTrue(a.sent.stream().anyMatch(d -> SecureNodes.headerType(d) == WireFormat.TYPE_SEALED_RING));
        }
    }

    @Test
    void aFrameCrossesInPlaceWithThePeersRingAddress() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b")) {
            send(a, b, ping(a, 1));
            b.messages.poll(5, TimeUnit.SECONDS);
            byte[] payload = "a frame with a known payload, 0123456789".repeat(20).getBytes(StandardCharsets.US_ASCII);
            a.onLoop(() -> {
                ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(WireFormat.HEADROOM + payload.length + WireFormat.TAILROOM);
                frame.writerIndex(WireFormat.HEADROOM).readerIndex(WireFormat.HEADROOM).writeBytes(payload);
                a.transport.sendFrame(b.path(), frame);
                return null;
            });
            InboundFrame f = b.frames.poll(5, TimeUnit.SECONDS);
            byte[] got = new byte[f.frame().readableBytes()];
            f.frame().readBytes(got);
            f.frame().release();
            assertEquals(new String(payload, StandardCharsets.US_ASCII), new String(got, StandardCharsets.US_ASCII));
            assertEquals(a.identity.certificate().address(), f.peer());
            String wire = new String(a.sent.get(a.sent.size() - 1), StandardCharsets.ISO_8859_1);
            assertFalse(wire.contains("known payload"), "the frame left sealed");
        }
    }

    @Test
    void aNodeWithoutAesInstructionsGetsChaCha20Poly1305RecordsBothWays() throws Exception {
        SessionSettings chacha = SessionSettings.defaults()
                .withRecords(io.ringswitch.overlay.security.record.RecordCipher.Aead.CHACHA20_POLY1305);
        try (SecureNodes.Node a = nodes.node("a");
             SecureNodes.Node c = nodes.node(SecureNodes.identity(nodes.ca, "c", SecureNodes.NOW, Duration.ofDays(1)), chacha,
                     Instant::now)) {
            send(a, c, ping(a, 1));
            assertEquals(ping(a, 1), c.messages.poll(5, TimeUnit.SECONDS).message());
            send(c, a, ping(c, 2));
            assertEquals(ping(c, 2), a.messages.poll(5, TimeUnit.SECONDS).message());
            assertEquals(java.util.Map.of("CHACHA20_POLY1305", 1), a.stats().ciphers());
            assertEquals(java.util.Map.of("CHACHA20_POLY1305", 1), c.stats().ciphers());
        }
    }

    @Test
    void aLinkMessageNamingAnotherSenderThanItsCertificateIsRefused() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b")) {
            send(a, b, ping(a, 1));
            b.messages.poll(5, TimeUnit.SECONDS);
            send(a, b, new RingMessage.Ping(RingAddress.ofName("someone else"), 2, null));
            // Rejected by the decoder, on b's loop, in the read that would have delivered it.
            assertTrue(await(() -> b.onLoop(() -> b.decoder.rejected(WireFormat.Reject.ADDRESS_MISMATCH)) == 1, 5));
            assertNull(b.messages.poll());
        }
    }

    @Test
    void aNodeOfAnotherCaNeverLinksAndEachSideSaysWhy() throws Exception {
        GroupCa other = GroupCa.create("lab", SecureNodes.NOW.minusSeconds(3600), Duration.ofDays(30));
        NodeIdentity rogue = SecureNodes.trusting(SecureNodes.identity(other, "rogue", SecureNodes.NOW, Duration.ofDays(1)), other);
        try (SecureNodes.Node a = nodes.node("a");
             SecureNodes.Node r = nodes.node(rogue, SessionSettings.defaults(), Instant::now)) {
            send(a, r, ping(a, 1));
            send(r, a, ping(r, 2));
            assertTrue(await(() -> a.refused("certificate-other-ca") > 0 && r.refused("certificate-other-ca") > 0, 5));
            // Each refused the other's answer as initiator and dropped the ping waiting for it: no
            // finish was sent, so no session exists that could carry anything.
            assertTrue(await(() -> a.refused("handshake-refused-queue") >= 1 && r.refused("handshake-refused-queue") >= 1, 5));
            assertNull(a.messages.poll());
            assertNull(r.messages.poll());
            assertEquals(0, a.stats().sessions());
            assertTrue(a.stats().lastRefused().stream().anyMatch(x -> x.reason().equals("certificate-other-ca")
                    && x.peer().equals(rogue.certificate().address().toString())));
        }
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        NodeIdentity old = SecureNodes.identity(nodes.ca, "old", SecureNodes.NOW.minus(Duration.ofMinutes(30)), Duration.ofMinutes(10));
        try (SecureNodes.Node a = nodes.node("a");
             SecureNodes.Node o = nodes.node(old, SessionSettings.defaults(), Instant::now)) {
            send(o, a, ping(o, 1));
            send(a, o, ping(a, 2));
            assertTrue(await(() -> a.refused("certificate-expired") >= 2, 8), "refused as responder and as initiator");
            // o thinks its own handshake made a session and sent its ping on it: a handled all of it.
            assertTrue(await(() -> o.stats().handshakes() >= 1, 5));
            a.awaitHandled(o);
            assertNull(a.messages.poll());
            assertEquals(0, a.stats().sessions());
        }
    }

    @Test
    void aCertificateWhoseAddressIsNotItsKeysIsRefused() throws Exception {
        NodeIdentity liar = CertificateForgery.addressNotKey(nodes.ca, "liar");
        try (SecureNodes.Node a = nodes.node("a");
             SecureNodes.Node l = nodes.node(liar, SessionSettings.defaults(), Instant::now)) {
            send(l, a, new RingMessage.Ping(liar.certificate().address(), 1, null));
            assertTrue(await(() -> a.refused("certificate-address-not-key") > 0, 5));
            // l thinks its handshake made a session and sent its ping on it: a handled all of it.
            assertTrue(await(() -> l.stats().handshakes() >= 1, 5));
            a.awaitHandled(l);
            assertNull(a.messages.poll());
        }
    }

    @Test
    void cookiesCostARoundTripAndTheLinkStillForms() throws Exception {
        SessionSettings cookies = new SessionSettings(120_000_000_000L, 180_000_000_000L, 1L << 23,
                16, true, 20, 5, io.ringswitch.overlay.security.record.RecordCipher.Aead.AES_256_GCM,
                15_000_000_000L);
        try (SecureNodes.Node a = nodes.node("a");
             SecureNodes.Node b = nodes.node(SecureNodes.identity(nodes.ca, "b", SecureNodes.NOW, Duration.ofDays(1)), cookies,
                     Instant::now)) {
            send(a, b, ping(a, 1));
            assertEquals(ping(a, 1), b.messages.poll(5, TimeUnit.SECONDS).message());
            assertEquals(1, b.stats().cookiesSent());
            assertTrue(b.sent.stream().anyMatch(d -> SecureNodes.headerType(d) == WireFormat.TYPE_COOKIE));
        }
    }

    @Test
    void sessionsAreRenewedOnTimeWithoutLosingAMessage() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b")) {
            send(a, b, ping(a, 1));
            b.messages.poll(5, TimeUnit.SECONDS);
            a.clockOffset.addAndGet(121_000_000_000L);
            // The first of these starts the renewal; they go on the old session while it runs.
            for (int i = 2; i < 20; i++) {
                send(a, b, ping(a, i));
                assertEquals(ping(a, i), b.messages.poll(5, TimeUnit.SECONDS).message(), "message " + i);
            }
            assertTrue(await(() -> a.stats().rekeys() == 1, 5), "renewed: " + a.stats());
            // And these on the new one, which is not renewed again.
            for (int i = 20; i < 40; i++) {
                send(a, b, ping(a, i));
                assertEquals(ping(a, i), b.messages.poll(5, TimeUnit.SECONDS).message(), "message " + i);
            }
            assertTrue(await(() -> a.onLoop(a.security::handshakesUnderway) == 0, 5), "no renewal under way");
            assertEquals(1, a.stats().rekeys(), "renewed once: " + a.stats());
            assertTrue(a.stats().handshakes() >= 2);
        }
    }

    @Test
    void sessionsAreRenewedOnVolume() throws Exception {
        SessionSettings small = new SessionSettings(120_000_000_000L, 180_000_000_000L, 20, 16,
                false, 20, 5, io.ringswitch.overlay.security.record.RecordCipher.Aead.AES_256_GCM,
                15_000_000_000L);
        try (SecureNodes.Node a = nodes.node(SecureNodes.identity(nodes.ca, "a", SecureNodes.NOW, Duration.ofDays(1)), small,
                Instant::now); SecureNodes.Node b = nodes.node("b")) {
            // Renewals run beside the traffic (the first, on a cold JVM, takes a while): every
            // message arrives while keys change under it.
            for (int i = 0; i < 1000 && a.stats().rekeys() < 3; i++) {
                send(a, b, ping(a, i));
                assertEquals(ping(a, i), b.messages.poll(5, TimeUnit.SECONDS).message(), "message " + i);
            }
            assertTrue(a.stats().rekeys() >= 3, "a key is renewed after 20 records: " + a.stats());
        }
    }

    @Test
    void aFloodOfHandshakesFromManyAddressesPutsTheNodeUnderLoadAndCostsCookies() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b")) {
            send(a, b, ping(a, 1));
            b.messages.poll(5, TimeUnit.SECONDS);
            byte[] init = a.sent.stream().filter(d -> SecureNodes.headerType(d) == WireFormat.TYPE_HANDSHAKE_INIT)
                    .findFirst().orElseThrow();
            b.onLoop(() -> {
                for (int i = 0; i < 400; i++) {
                    b.channel.pipeline().fireChannelRead(new io.netty.channel.socket.DatagramPacket(
                            io.netty.buffer.Unpooled.copiedBuffer(init), b.endpoint(),
                            new java.net.InetSocketAddress("127.1." + (i / 250) + "." + (i % 250 + 1), 5800)));
                }
                return null;
            });
            assertTrue(b.stats().cookiesSent() > 0, "under load, initiators are asked for a cookie first");
            assertTrue(b.stats().cookiesSent() + b.refused("queue-full") <= 400 - 16,
                    "only the first ones reached the handshake thread: " + b.stats().cookiesSent());
            assertEquals(ping(a, 2), sendAndReceive(a, b, ping(a, 2)), "the established link keeps working");
        }
    }

    private static RingMessage sendAndReceive(SecureNodes.Node from, SecureNodes.Node to, RingMessage m) throws Exception {
        send(from, to, m);
        return to.messages.poll(5, TimeUnit.SECONDS).message();
    }

    @Test
    void aPeerThatLostItsSessionGetsANewOneWhenTheSenderHearsNothingBack() throws Exception {
        try (SecureNodes.Node a = nodes.node("a")) {
            java.net.InetSocketAddress bAt;
            NodeIdentity bId = SecureNodes.identity(nodes.ca, "b", SecureNodes.NOW, Duration.ofDays(1));
            // Outside the ephemeral port range, on an address of its own: nothing else takes the
            // endpoint between b's close and its restart there.
            try (SecureNodes.Node b = nodeOutsideEphemeralPorts(bId)) {
                send(a, b, ping(a, 1));
                b.messages.poll(5, TimeUnit.SECONDS);
                bAt = b.endpoint();
            }
            // b restarts on the same endpoint and has lost its keys; a still seals with the old ones.
            try (SecureNodes.Node b = nodes.node(bId, SessionSettings.defaults(), Instant::now, bAt)) {
                int mark = a.onLoop(a.sent::size);
                send(a, b, ping(a, 2));
                b.awaitHandled(a, mark);
                assertNull(b.messages.poll(), "the old session is gone at b");
                a.clockOffset.addAndGet(7_000_000_000L);
                RingMessage got = null;
                for (int i = 3; i < 60 && got == null; i++) {
                    send(a, b, ping(a, i));
                    InboundMessage m = b.messages.poll(100, TimeUnit.MILLISECONDS);
                    got = m == null ? null : m.message();
                }
                assertTrue(got instanceof RingMessage.Ping, "a made a new session after hearing nothing back");
                assertTrue(a.refused("session-silent") >= 1);
            }
        }
    }

    /** A node bound to a random 127.0.0.x at a port below the kernel's ephemeral range; tries again if that is taken. */
    private SecureNodes.Node nodeOutsideEphemeralPorts(NodeIdentity id) throws Exception {
        java.util.Random random = new java.util.Random();
        Exception last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            java.net.InetSocketAddress at = new java.net.InetSocketAddress("127.0.0." + (2 + random.nextInt(200)),
                    20_000 + random.nextInt(10_000));
            try {
                return nodes.node(id, SessionSettings.defaults(), Instant::now, at);
            } catch (Exception e) {
                last = e;
            }
        }
        throw last;
    }

    @Test
    void handshakeFloodsFromOneAddressAreRateLimited() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b")) {
            send(a, b, ping(a, 1));
            b.messages.poll(5, TimeUnit.SECONDS);
            byte[] init = a.sent.stream().filter(d -> SecureNodes.headerType(d) == WireFormat.TYPE_HANDSHAKE_INIT)
                    .findFirst().orElseThrow();
            for (int i = 0; i < 50; i++) {
                b.inject(init, new java.net.InetSocketAddress("127.0.0.9", 4000 + i));
            }
            assertTrue(b.refused("rate-limited") >= 40, "at most a burst of 5 a second passes: " + b.refused("rate-limited"));
            assertEquals(1, b.stats().sessions());
        }
    }
}
