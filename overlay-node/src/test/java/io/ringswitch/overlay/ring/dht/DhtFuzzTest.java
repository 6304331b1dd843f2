package io.ringswitch.overlay.ring.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Bad DHT payloads sent over the ring are counted and dropped; no node throws, and the DHT still works. */
class DhtFuzzTest {

    @Test
    void thousandsOfMutatedPayloadsAreCountedNeverThrown() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 62, RingConfig.defaults());
        Random random = new Random(63);
        List<DhtMessage> samples = DhtMessageCodecTest.samples();
        for (int i = 0; i < 4000; i++) {
            byte[] payload = DhtMessageCodecTest.mutate(DhtMessageCodec.encode(samples.get(random.nextInt(samples.size()))),
                    random);
            if (payload.length > RingMessageCodec.MAX_PAYLOAD) {
                continue;
            }
            RingNode from = net.nodes.get(random.nextInt(net.nodes.size()));
            RingNode to = net.nodes.get(random.nextInt(net.nodes.size()));
            RoutingMode mode = random.nextBoolean() ? RoutingMode.EXACT : RoutingMode.NEAREST;
            from.send(to.address(), mode, PayloadTypes.DHT, payload, random.nextBoolean());
            if (i % 100 == 0) {
                net.run(200);
            }
        }
        net.run(30_000);
        long malformed = net.nodes.stream().mapToLong(n -> n.dht().counters().malformed()).sum();
        long unexpected = net.nodes.stream().mapToLong(n -> n.dht().counters().unexpectedReplies()).sum();
        assertTrue(malformed > 1000, malformed + " counted malformed");
        assertTrue(unexpected > 100, unexpected + " replies nobody asked for");
        for (RingNode node : net.nodes) {
            assertTrue(node.dht().localSize() <= node.dht().config().maxEntries());
        }
        DhtKey key = DhtKey.of("after the storm");
        CompletableFuture<DhtResult> put = net.nodes.get(1).dht().put(key, "v".getBytes(StandardCharsets.UTF_8), 60_000);
        net.run(5_000);
        assertEquals(DhtStatus.OK, put.getNow(null).status());
        CompletableFuture<DhtResult> got = net.nodes.get(2).dht().get(key);
        net.run(5_000);
        assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), got.getNow(null).first());
    }
}
