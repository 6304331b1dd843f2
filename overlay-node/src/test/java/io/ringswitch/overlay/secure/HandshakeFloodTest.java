package io.ringswitch.overlay.secure;

import static io.ringswitch.overlay.secure.SecureNodes.await;
import static io.ringswitch.overlay.secure.SecureNodes.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.ringswitch.overlay.underlay.WireFormat;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stranger who spoofs source addresses floods a node with padded handshake initiations (large
 * enough that answering sends no more than came in, so no cookie is asked for by size): it must not
 * fill the responder's handshake table and so keep two honest nodes from renewing their session.
 */
class HandshakeFloodTest {
    private static final int SPOOFED = 10_000;
    private SecureNodes nodes;

    @BeforeEach
    void setUp() {
        nodes = new SecureNodes();
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    /** A spoofed source, each in a /24 of its own, so that no prefix bucket stops the flood by itself. */
    private static InetSocketAddress spoofed(int i) {
        return new InetSocketAddress("127." + (1 + i / 256) + "." + (i % 256) + ".1", 5800);
    }

    /** Feeds {@code count} copies of {@code init} from spoofed sources starting at {@code first}, paced by the handshake thread. */
    private static int flood(SecureNodes.Node b, byte[] init, int first, int count) throws Exception {
        int i = first;
        for (int batch = 0; batch < count; batch += 10) {
            int from = i;
            b.onLoop(() -> {
                for (int k = 0; k < 10; k++) {
                    b.channel.pipeline().fireChannelRead(new DatagramPacket(Unpooled.copiedBuffer(init), b.endpoint(),
                            spoofed((from + k) % SPOOFED)));
                }
                return null;
            });
            i += 10;
            // Paced below the mark at which the node calls itself under load: the flood that the
            // queue alone never notices.
            assertTrue(await(() -> b.onLoop(b.security::handshakesQueued) == 0, 5));
        }
        return i;
    }

    @Test
    void tenThousandSpoofedInitiationsDoNotStopTwoHonestNodesFromRekeying() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b")) {
            a.onLoop(() -> {
                a.transport.send(b.path(), ping(a, 1));
                return null;
            });
            assertEquals(ping(a, 1), b.messages.poll(5, TimeUnit.SECONDS).message());
            byte[] init = a.sent.stream().filter(d -> SecureNodes.headerType(d) == WireFormat.TYPE_HANDSHAKE_INIT)
                    .findFirst().orElseThrow();
            int next = flood(b, init, 0, SPOOFED);

            // a's session is due for renewal; the flood goes on while a renews it.
            a.clockOffset.addAndGet(121_000_000_000L);
            long end = System.nanoTime() + 5_000_000_000L;
            long nonce = 2;
            while (a.stats().rekeys() == 0 && System.nanoTime() < end) {
                long n = nonce++;
                a.onLoop(() -> {
                    a.transport.send(b.path(), ping(a, n));
                    return null;
                });
                next = flood(b, init, next, 50);
            }
            assertEquals(1, a.stats().rekeys(), "the honest rekey went through the flood: a " + a.stats() + ", b " + b.stats());
            assertTrue(b.stats().cookiesSent() > 0, "spoofed sources were asked for cookies they never return");
            long n = nonce;
            a.onLoop(() -> {
                a.transport.send(b.path(), ping(a, n));
                return null;
            });
            assertTrue(await(() -> b.messages.stream().anyMatch(m -> m.message().equals(ping(a, n))), 5),
                    "the renewed session carries messages");
        }
    }

    @Test
    void oneNetworksManyAddressesShareOneBudget() throws Exception {
        try (SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b")) {
            a.onLoop(() -> {
                a.transport.send(b.path(), ping(a, 1));
                return null;
            });
            assertEquals(ping(a, 1), b.messages.poll(5, TimeUnit.SECONDS).message());
            byte[] init = a.sent.stream().filter(d -> SecureNodes.headerType(d) == WireFormat.TYPE_HANDSHAKE_INIT)
                    .findFirst().orElseThrow();
            // 200 addresses of one /24, one initiation each: every address is within its own budget.
            long took = b.onLoop(() -> {
                long start = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    b.channel.pipeline().fireChannelRead(new DatagramPacket(Unpooled.copiedBuffer(init), b.endpoint(),
                            new InetSocketAddress("127.9.9." + (i + 1), 5800)));
                }
                return System.nanoTime() - start;
            });
            // One burst, plus what the bucket refills while the 200 go in (a loaded machine takes longer).
            SessionSettings settings = SessionSettings.defaults();
            long refill = (long) Math.ceil(took / 1e9 * settings.handshakesPerSecond() * HandshakeGate.PREFIX_FACTOR);
            long allowed = (long) settings.handshakeBurst() * HandshakeGate.PREFIX_FACTOR + refill;
            long limited = b.refused("prefix-rate-limited");
            assertTrue(limited >= 200 - allowed, "the /24 got one burst (" + allowed + " in " + took / 1_000_000
                    + " ms): " + limited + " held back");
        }
    }
}
