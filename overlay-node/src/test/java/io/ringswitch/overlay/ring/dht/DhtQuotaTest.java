package io.ringswitch.overlay.ring.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import io.ringswitch.overlay.ring.node.RingNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A member stores 10,000 keys to fill the holders' stores: each holder keeps at most the member's
 * quota of its records, refuses the rest, and other members' stores still succeed. Without the
 * quota the member's records take every holder's room and honest stores come back NODE_FULL.
 */
class DhtQuotaTest {
    private static final int QUOTA = 256;
    private static final long MINUTE = 60_000;

    @Test
    void aMemberStoringTenThousandKeysFillsOnlyItsQuotaAndHonestStoresSucceed() throws Exception {
        DhtConfig config = DhtConfig.defaults().withMaxEntries(1_500).withPublisherQuota(QUOTA, 256 * 1024);
        SignedRing ring = SignedRing.formed(8, 93, true, config);
        RingNode insider = ring.join(ring.ca, "insider", 0);
        for (int batch = 0; batch < 20; batch++) {
            for (int i = 0; i < 500; i++) {
                int n = batch * 500 + i;
                insider.dht().put(DhtKey.of("junk:" + n), ("junk " + n).getBytes(StandardCharsets.UTF_8), 10 * MINUTE);
            }
            ring.net.run(2_000);
        }
        ring.net.run(10_000);
        for (RingNode n : ring.nodes) {
            long held = recordsOf(n, insider.address());
            assertTrue(held <= QUOTA, n.address().shortString() + " holds " + held + " of the insider's records");
        }
        assertTrue(ring.total(c -> c.publisherFull()) > 0, "holders counted the records over the quota");

        RingNode honest = ring.nodes.get(3);
        List<CompletableFuture<DhtResult>> puts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            puts.add(honest.dht().put(DhtKey.of("name:host" + i), ("host " + i).getBytes(StandardCharsets.UTF_8),
                    10 * MINUTE));
        }
        for (CompletableFuture<DhtResult> put : puts) {
            assertEquals(DhtStatus.OK, ring.await(put).status(), "an honest store after the flood");
        }
        DhtResult read = ring.await(ring.nodes.get(6).dht().get(DhtKey.of("name:host7")));
        assertEquals(DhtStatus.OK, read.status());
    }

    /** Records of {@code publisher} that {@code node} holds, over all its keys. */
    private static long recordsOf(RingNode node, RingAddress publisher) throws RingMessageCodec.MalformedException {
        long count = 0;
        for (DhtKey key : node.dht().localKeys()) {
            for (DhtValue v : node.dht().localValues(key)) {
                if (DhtRecord.parse(v.bytes()).publisher().equals(publisher)) {
                    count++;
                }
            }
        }
        return count;
    }
}
