package io.ringswitch.overlay.ring.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import io.ringswitch.overlay.ring.node.RingNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Holders of a key that missed a newer record (their copies were lost on the way) are settled by
 * the next confirmed read, which writes the publisher's newest signed record back to the stale
 * holder it asked (which passes it on to the other holders); without read repair the holder would keep the old record until its time to
 * live ran out, since holders only send a key to holders new to it.
 */
class DhtReadRepairTest {
    private static final long MINUTE = 60_000;
    private DhtKey key;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code m} is a holder's copy of a key (a DHT store), the messages lost while the holders are cut off. */
    private static boolean isStore(RingMessage m) {
        if (!(m instanceof RingMessage.Routed r) || r.payloadType() != PayloadTypes.DHT) {
            return false;
        }
        try {
            return DhtMessageCodec.decode(r.payload()) instanceof DhtMessage.Store;
        } catch (RingMessageCodec.MalformedException e) {
            return false;
        }
    }

    /** The value of the record {@code node} holds for the key, or null. */
    private byte[] heldBy(RingNode node) throws RingMessageCodec.MalformedException {
        List<DhtValue> values = node.dht().localValues(key);
        return values.isEmpty() ? null : DhtRecord.parse(values.get(0).bytes()).value();
    }

    /**
     * A key whose confirmed read asks two different holders on this ring (the node nearest the
     * key's mirror point is another holder, not the nearest one again): ring addresses come from
     * fresh keys, so the layout differs from run to run.
     */
    private static DhtKey twoHolderKey(List<RingAddress> ring) {
        for (int i = 0; ; i++) {
            DhtKey candidate = DhtKey.of("name:web" + i);
            List<RingAddress> holders = Replicas.nearest(candidate.address(), ring, 3);
            RingAddress second = Replicas.nearest(DhtClient.mirror(candidate.address(), holders.get(0)), ring, 1).get(0);
            if (!second.equals(holders.get(0)) && holders.contains(second)) {
                return candidate;
            }
        }
    }

    @Test
    void aConfirmedReadWritesTheNewestRecordBackToTheStaleHolder() throws Exception {
        SignedRing ring = SignedRing.formed(16, 94, true);
        key = twoHolderKey(ring.nodes.stream().map(RingNode::address).toList());
        RingNode publisher = ring.nodes.get(2);
        assertEquals(DhtStatus.OK, ring.await(publisher.dht().put(key, bytes("v1"), 10 * MINUTE)).status());
        ring.net.run(2_000);
        List<RingAddress> holders = Replicas.nearest(key.address(), ring.nodes.stream().map(RingNode::address).toList(), 3);
        for (RingAddress h : holders) {
            assertArrayEquals(bytes("v1"), heldBy(ring.net.nodeAt(h)), "every holder has v1");
        }
        // v2 reaches the node nearest the key, but its copies to the other holders are lost.
        ring.net.lose = s -> isStore(s.message());
        ring.net.run(1_000);
        assertEquals(DhtStatus.OK, ring.await(publisher.dht().put(key, bytes("v2"), 10 * MINUTE)).status());
        ring.net.run(2_000);
        ring.net.lose = s -> false;
        long stale = holders.stream().filter(h -> !java.util.Arrays.equals(bytes("v2"), heldOrNull(ring, h))).count();
        assertEquals(2, stale, "the two other holders still hold v1");
        ring.net.run(20_000);
        assertEquals(2, holders.stream().filter(h -> !java.util.Arrays.equals(bytes("v2"), heldOrNull(ring, h))).count(),
                "holders do not settle it by themselves");

        RingNode reader = ring.nodes.stream().filter(n -> n != publisher && !holders.contains(n.address())).findFirst()
                .orElseThrow();
        ring.await(reader.dht().getConfirmed(key));
        ring.net.run(2_000);
        assertTrue(reader.dht().counters().readRepairs() > 0, "the reader wrote the newer record back: "
                + reader.dht().counters().toMap());
        // The holder the read asked took v2 and, as a holder that stores a PUT does, sent it on to the third.
        assertEquals(0, holders.stream().filter(h -> !java.util.Arrays.equals(bytes("v2"), heldOrNull(ring, h))).count(),
                "every holder holds v2 now");
        DhtResult settled = ring.await(reader.dht().getConfirmed(key));
        assertEquals(DhtStatus.OK, settled.status());
        assertEquals(List.of("v2"), settled.values().stream().map(v -> new String(v.bytes(), StandardCharsets.UTF_8))
                .toList(), "the next confirmed read finds both holders agree");
    }

    private byte[] heldOrNull(SignedRing ring, RingAddress holder) {
        try {
            return heldBy(ring.net.nodeAt(holder));
        } catch (RingMessageCodec.MalformedException e) {
            throw new AssertionError(e);
        }
    }
}
