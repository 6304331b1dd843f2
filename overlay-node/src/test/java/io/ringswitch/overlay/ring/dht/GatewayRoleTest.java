package io.ringswitch.overlay.ring.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.gateway.DhtGatewayRecords;
import io.ringswitch.overlay.gateway.GatewayRecord;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.security.NodeRoles;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A member whose certificate does not grant the gateway role publishes gateway records: holders
 * refuse to store them and readers to use them, so no client ever lists it as a gateway (and so
 * never chooses it or sends it Internet traffic), while the gateway the CA made one is listed.
 */
class GatewayRoleTest {
    private static final String GROUP = "lab";

    private static GatewayRecord record(RingNode node, String site, long at) {
        return new GatewayRecord(site, node.address(), 0x0247_0000_0001L, 0x0a4dfe01, false, 0, at, false);
    }

    @Test
    void aMemberWithoutTheGatewayRoleIsNeverListedAsAGateway() {
        SignedRing ring = SignedRing.formed(16, 91, true);
        RingNode gateway = ring.join(ring.ca, "gw", 0, Set.of(NodeRoles.GATEWAY));
        RingNode insider = ring.join(ring.ca, "insider", 0);
        ring.await(new DhtGatewayRecords(gateway.dht(), GROUP).put(record(gateway, "gw", ring.wall())));
        // The insider, a valid member, publishes itself as a gateway with a newer record, as a gateway site would.
        ring.await(new DhtGatewayRecords(insider.dht(), GROUP).put(record(insider, "insider", ring.wall() + 1)));
        ring.net.run(3_000);
        RingNode reader = ring.nodes.get(7);
        List<GatewayRecord> listed = ring.await(new DhtGatewayRecords(reader.dht(), GROUP).read());
        assertNotNull(listed);
        assertEquals(List.of("gw"), listed.stream().map(GatewayRecord::site).toList(),
                "only the node whose certificate grants the role is a gateway");
        assertTrue(ring.total(c -> c.recordNoRole()) > 0, "holders counted the refused records");
        for (RingNode n : ring.nodes) {
            for (DhtValue v : n.dht().localValues(DhtKey.of("gw:" + GROUP))) {
                DhtRecord r = ring.recordsOf(gateway, 0).check(DhtKey.of("gw:" + GROUP), v.bytes(), new DhtCounters());
                assertNotNull(r);
                assertEquals(gateway.address(), r.publisher(), "no holder keeps the insider's record");
            }
        }
    }

    @Test
    void aReaderRefusesAGatewayRecordSignedWithoutTheRoleEvenWhenAHolderHandsItOver() {
        SignedRing ring = new SignedRing(92, true);
        RingNode insider = ring.member(ring.ca, "insider", 0);
        RingNode gateway = ring.member(ring.ca, "gw", 0, Set.of(NodeRoles.GATEWAY));
        DhtKey key = DhtKey.of("gw:" + GROUP);
        byte[] forged = ring.recordsOf(insider, 0).seal(key, new byte[] {1}, 30_000, false);
        DhtCounters counters = new DhtCounters();
        assertNull(ring.recordsOf(gateway, 0).check(key, forged, counters));
        assertEquals(1, counters.recordNoRole());
        DhtKey other = DhtKey.of("mcast4:239.1.1.1");
        assertNotNull(ring.recordsOf(gateway, 0).check(other,
                ring.recordsOf(insider, 0).seal(other, new byte[] {1}, 30_000, false), counters),
                "a key that needs no role takes any member's record");
        assertNotNull(ring.recordsOf(insider, 0).check(key,
                ring.recordsOf(gateway, 0).seal(key, new byte[] {1}, 30_000, false), counters));
    }
}
