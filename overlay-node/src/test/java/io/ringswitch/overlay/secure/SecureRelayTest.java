package io.ringswitch.overlay.secure;

import static io.ringswitch.overlay.secure.SecureNodes.ping;
import static io.ringswitch.overlay.secure.SecureNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.underlay.InboundFrame;
import io.ringswitch.overlay.underlay.InboundMessage;
import io.ringswitch.overlay.underlay.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two-hop relays: a and b, which have no direct path to each other, make a session through r
 * (the Noise handshake runs through it) and exchange ring messages; r passes on only ciphertext
 * and refuses what it must not relay. Three nodes' secure layers over loopback UDP.
 */
class SecureRelayTest {
    private static final byte[] SECRET = "not-for-the-relay-to-read-0123456789".getBytes(StandardCharsets.US_ASCII);
    private SecureNodes nodes;

    @BeforeEach
    void setUp() {
        nodes = new SecureNodes();
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    private static RingMessage secret(SecureNodes.Node from, SecureNodes.Node to) {
        return new RingMessage.Routed(from.address(), to.address(), RoutingMode.EXACT, 8, 0, false, 7,
                PayloadTypes.FRAME, SECRET);
    }

    @Test
    void twoNodesWithoutADirectPathTalkThroughARelayThatSeesOnlyCiphertext() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node r = nodes.node("r"); SecureNodes.Node b = nodes.node("b")) {
            a.route(r);
            b.route(r);
            r.route(a);
            r.route(b);
            List<byte[]> rSaw = SecureNodes.spy(r);

            SecureNodes.send(a, new PeerPath.Relay(r.address(), b.address()), ping(a, 1));
            InboundMessage first = b.messages.poll(10, TimeUnit.SECONDS);
            assertEquals(ping(a, 1), first.message(), "a link message, so bound to a's certificate by the decoder");
            assertEquals(new PeerPath.Relay(r.address(), a.address()), first.from());
            SecureNodes.send(a, new PeerPath.Relay(r.address(), b.address()), secret(a, b));
            InboundMessage second = b.messages.poll(5, TimeUnit.SECONDS);
            assertEquals(secret(a, b), second.message());
            assertEquals(first.from(), second.from());

            SecureNodes.send(b, first.from(), ping(b, 2));
            InboundMessage reply = a.messages.poll(5, TimeUnit.SECONDS);
            assertEquals(ping(b, 2), reply.message());
            assertEquals(new PeerPath.Relay(r.address(), b.address()), reply.from());

            // a and b never sent to each other; r passed the handshake and the records on.
            assertTrue(a.sentTo.stream().allMatch(r.endpoint()::equals), "a sends to r only: " + a.sentTo);
            assertTrue(b.sentTo.stream().allMatch(r.endpoint()::equals), "b sends to r only: " + b.sentTo);
            long relayed = r.onLoop(r.security::relayedRecords);
            assertTrue(relayed >= 6, "three handshake messages and three records at least: " + relayed);
            assertTrue(r.onLoop(r.security::relayedBytes) > 0);
            // r's own layer opened its sessions' records, but nothing of a's and b's went up its
            // pipeline, and nothing it sent holds the secret in clear.
            assertTrue(r.messages.isEmpty(), "r received no message: " + r.messages);
            assertTrue(rSaw.isEmpty(), rSaw.size() + " datagrams went up r's pipeline");
            for (SecureNodes.Node n : List.of(a, r, b)) {
                assertTrue(n.sent.stream().noneMatch(d -> SecureNodes.contains(d, SECRET)), n.identity.certificate().name());
            }
            assertEquals(0, r.refused("relay-not-allowed") + r.refused("relay-inner-type") + r.refused("relay-no-path"));

            // A record that would not fit the envelope once wrapped for the relay stays at a, counted.
            SecureNodes.send(a, new PeerPath.Relay(r.address(), b.address()), new RingMessage.Routed(a.address(), b.address(),
                    RoutingMode.EXACT, 8, 0, false, 8, PayloadTypes.FRAME, new byte[WireFormat.MAX_PAYLOAD - 40]));
            assertTrue(await(() -> a.refused("relay-oversized") == 1, 5));
            // Counted at a when it was dropped there, unsent.
            assertNull(b.messages.poll());
        }
    }

    @Test
    void aRelayRefusesAFarEndItHasNoPathToAndClearInnerDatagrams() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node r = nodes.node("r"); SecureNodes.Node b = nodes.node("b")) {
            a.route(r);
            r.route(a);
            // r has no path to b: what a sends for b through r ends at r, counted.
            SecureNodes.send(a, new PeerPath.Relay(r.address(), b.address()), ping(a, 1));
            assertTrue(await(() -> r.refused("relay-not-allowed") >= 1, 5), "refused at r");
            assertEquals(0, r.onLoop(r.security::relayedRecords));
            // r, the only way to b, has no path there: a's handshake for b ended at r.
            assertNull(b.messages.poll());

            // The ring reaches b only through another relay: r relays one hop, never two.
            r.routes.put(b.address(), new PeerPath.Relay(a.address(), b.address()));
            SecureNodes.send(a, new PeerPath.Relay(r.address(), b.address()), ping(a, 2));
            assertTrue(await(() -> r.refused("relay-no-path") >= 1, 5), "refused at r");
            assertEquals(0, r.onLoop(r.security::relayedRecords));

            // A clear ring message inside a relay datagram: r must never pass on what it could read.
            r.route(b);
            ByteBuf clear = Unpooled.buffer(WireFormat.HEADER_LENGTH + SECRET.length);
            WireFormat.setHeader(clear, 0, WireFormat.TYPE_RING, SECRET.length);
            clear.writerIndex(WireFormat.HEADER_LENGTH).writeBytes(SECRET);
            a.onLoop(() -> {
                ByteBuf relay = SealedDatagrams.relay(a.channel.alloc(), WireFormat.RELAY_TO, b.address(), clear);
                clear.release();
                return a.channel.writeAndFlush(new DatagramPacket(relay, r.endpoint()));
            });
            assertTrue(await(() -> r.refused("relay-inner-type") >= 1, 5), "refused at r");
            assertEquals(0, r.onLoop(r.security::relayedRecords));
            assertTrue(b.sent.isEmpty() && b.messages.isEmpty(), "nothing reached b");
            assertFalse(r.sent.stream().anyMatch(d -> SecureNodes.contains(d, SECRET)));
        }
    }

    @Test
    void aFrameCrossesARelayInItsOwnBufferAndTheRelayCannotReadIt() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node r = nodes.node("r"); SecureNodes.Node b = nodes.node("b")) {
            a.route(r);
            b.route(r);
            r.route(a);
            r.route(b);
            PeerPath toB = new PeerPath.Relay(r.address(), b.address());
            SecureNodes.send(a, toB, ping(a, 1));
            b.messages.poll(10, TimeUnit.SECONDS);
            byte[] payload = "a frame with a known payload, 0123456789".repeat(30).getBytes(StandardCharsets.US_ASCII);
            a.onLoop(() -> {
                ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(WireFormat.HEADROOM + payload.length + WireFormat.TAILROOM);
                frame.writerIndex(WireFormat.HEADROOM).readerIndex(WireFormat.HEADROOM).writeBytes(payload);
                a.transport.sendFrame(toB, frame);
                return null;
            });
            InboundFrame f = b.frames.poll(5, TimeUnit.SECONDS);
            byte[] got = new byte[f.frame().readableBytes()];
            f.frame().readBytes(got);
            f.frame().release();
            assertEquals(new String(payload, StandardCharsets.US_ASCII), new String(got, StandardCharsets.US_ASCII));
            assertEquals(new PeerPath.Relay(r.address(), a.address()), f.from(), "from a, through r");
            assertEquals(a.address(), f.peer(), "under a's certificate");
            for (byte[] d : r.sent) {
                assertFalse(SecureNodes.contains(d, "known payload".getBytes(StandardCharsets.US_ASCII)), "r passed on only ciphertext");
            }
        }
    }
}
