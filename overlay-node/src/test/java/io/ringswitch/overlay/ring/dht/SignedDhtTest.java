package io.ringswitch.overlay.ring.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.forwarding.DhtDirectory;
import io.ringswitch.overlay.ring.node.RingNode;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What members do with signed, owned records: keep a lease, hand a key on, publish alongside each other. */
class SignedDhtTest {
    private static final long MINUTE = 60_000;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLeaseIsRenewedByItsCreatorAndTakenByAnotherOnlyAfterItsRelease() {
        SignedRing ring = SignedRing.formed(20, 91, true);
        DhtKey lease = DhtKey.of("lease4:10.77.0.20");
        RingNode creator = ring.nodes.get(3);
        RingNode other = ring.nodes.get(9);
        DhtPublication kept = creator.dht().createAndKeep(lease, bytes("creator"), 20_000);
        assertEquals(DhtStatus.CREATED, ring.await(kept.latest()).status());
        ring.net.run(2 * MINUTE);
        assertEquals(DhtStatus.CREATED, ring.await(kept.latest()).status(), "each renewal, sealed afresh, wins again");
        assertEquals(DhtStatus.EXISTS, ring.await(other.dht().createIfAbsent(lease, bytes("other"), 20_000)).status());
        kept.cancel();
        assertEquals(DhtStatus.OK, ring.await(creator.dht().release(lease, bytes("creator"), 20_000)).status());
        assertEquals(DhtStatus.CREATED, ring.await(other.dht().createIfAbsent(lease, bytes("other"), 20_000)).status(),
                "the key is free at once after its owner released it");
        DhtResult got = ring.await(ring.nodes.get(15).dht().getConfirmed(lease));
        assertEquals(List.of("other"), got.values().stream().map(v -> new String(v.bytes(), StandardCharsets.UTF_8)).toList());
        assertEquals(0, ring.total(c -> c.replicaDisagreements()), "honest holders agree");
        assertTrue(ring.total(c -> c.recordBadSignature() + c.recordNotMember() + c.recordFutureTimestamp()) == 0);
    }

    @Test
    void aKeyOfManyPublishersKeepsOneSlotEach() {
        SignedRing ring = SignedRing.formed(20, 92, true);
        DhtKey group = DhtKey.of("mcast4:239.1.1.7");
        RingNode a = ring.nodes.get(2);
        RingNode b = ring.nodes.get(7);
        assertEquals(DhtStatus.OK, ring.await(a.dht().put(group, bytes("a-1"), MINUTE)).status());
        assertEquals(DhtStatus.OK, ring.await(b.dht().put(group, bytes("b-1"), MINUTE)).status());
        ring.net.run(1_000);
        assertEquals(DhtStatus.OK, ring.await(a.dht().put(group, bytes("a-2"), MINUTE)).status());
        ring.net.run(3_000);
        DhtResult got = ring.await(ring.nodes.get(12).dht().get(group));
        assertEquals(List.of("a-2", "b-1"), got.values().stream().map(v -> new String(v.bytes(), StandardCharsets.UTF_8))
                .toList(), "a's newer value took the place of its older one, b's stayed");
    }

    @Test
    void aHostThatMovesIsFoundAtItsNewSiteOnceTheOldOneWithdrewIt() throws Exception {
        SignedRing ring = SignedRing.formed(20, 93, true);
        InetAddress ip = InetAddress.getByName("10.77.3.3");
        long mac = 0x02_77_00_00_03_03L;
        RingNode a = ring.nodes.get(4);
        RingNode b = ring.nodes.get(10);
        DhtDirectory atA = new DhtDirectory(a.dht(), a.address(), ring::wall);
        DhtDirectory atB = new DhtDirectory(b.dht(), b.address(), ring::wall);
        DhtDirectory lookups = new DhtDirectory(ring.nodes.get(16).dht(), ring.nodes.get(16).address(), ring::wall);
        atA.publish(ip, mac);
        ring.net.run(3_000);
        assertEquals(a.address().shortString(), ring.await(lookups.lookup(ip)).site());
        atA.withdraw(ip);
        ring.net.run(1_000);
        atB.publish(ip, mac);
        ring.net.run(3_000);
        assertEquals(b.address().shortString(), ring.await(lookups.lookup(ip)).site());
        assertEquals(b.address(), ring.await(lookups.site(mac)));
    }
}
