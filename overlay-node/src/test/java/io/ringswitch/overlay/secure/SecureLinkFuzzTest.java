package io.ringswitch.overlay.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.underlay.WireFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Seeded random and mutated datagrams, fed to a node as if its linked peer had sent them: no
 * exception escapes, nothing forged or replayed is delivered, and the link still works after.
 */
class SecureLinkFuzzTest {
    private static final int CASES = 5000;

    @Test
    void mutatedAndReplayedDatagramsAreNeverDeliveredAndNeverThrow() throws Exception {
        try (SecureNodes nodes = new SecureNodes(); SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b")) {
            for (int i = 0; i < 20; i++) {
                long nonce = i;
                a.onLoop(() -> {
                    a.transport.send(b.path(), new RingMessage.Ping(a.identity.certificate().address(), nonce, null));
                    return null;
                });
                b.messages.poll(5, TimeUnit.SECONDS);
            }
            List<byte[]> captured = new ArrayList<>(a.sent);
            assertTrue(captured.size() >= 20);
            // Exact replays of everything a sent: records are refused as replays, handshakes go nowhere.
            for (byte[] d : captured) {
                b.inject(d, a.endpoint());
            }
            long records = captured.stream().filter(d -> SecureNodes.headerType(d) == WireFormat.TYPE_SEALED_RING).count();
            assertTrue(b.refused("record-replayed") >= records, "every replayed record refused: " + b.refused("record-replayed"));
            Random random = new Random(20261122);
            for (int i = 0; i < CASES; i++) {
                byte[] base = captured.get(random.nextInt(captured.size()));
                b.inject(mutate(base, random), a.endpoint());
            }
            // The injects returned once b's loop had handled each; what went on to the handshake thread is done too.
            b.awaitHandshakeWork();
            assertNull(b.messages.poll(), "nothing forged or replayed was delivered");
            assertTrue(b.frames.isEmpty());
            assertEquals(0, b.exceptions.get(), "no exception reached the end of the pipeline");
            // The link still works.
            a.onLoop(() -> {
                a.transport.send(b.path(), new RingMessage.Ping(a.identity.certificate().address(), 99, null));
                return null;
            });
            assertEquals(99, ((RingMessage.Ping) b.messages.poll(5, TimeUnit.SECONDS).message()).nonce());
        }
    }

    /** One of: random bytes; flipped bytes; cut short; lengthened; type or length field changed. */
    private static byte[] mutate(byte[] base, Random random) {
        byte[] d = base.clone();
        switch (random.nextInt(6)) {
            case 0 -> {
                d = new byte[random.nextInt(1500)];
                random.nextBytes(d);
                if (d.length > 4 && random.nextBoolean()) {
                    d[0] = 'R';
                    d[1] = 'S';
                    d[2] = 1;
                }
            }
            case 1 -> {
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    d[random.nextInt(d.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 2 -> d = Arrays.copyOf(d, random.nextInt(d.length));
            case 3 -> {
                d = Arrays.copyOf(d, d.length + 1 + random.nextInt(64));
                int length = d.length - WireFormat.HEADER_LENGTH;
                if (random.nextBoolean()) {
                    d[4] = (byte) (length >> 8);
                    d[5] = (byte) length;
                }
            }
            case 4 -> d[3] = (byte) random.nextInt(0x20);
            default -> {
                int at = WireFormat.HEADER_LENGTH + random.nextInt(Math.max(1, d.length - WireFormat.HEADER_LENGTH));
                if (at < d.length) {
                    d[at] ^= 1;
                }
            }
        }
        return d;
    }
}
