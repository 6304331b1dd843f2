package io.ringswitch.overlay.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.PeerPath;
import java.net.InetSocketAddress;
import java.util.List;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The refusals the status file shows. */
class SecurityCountersTest {
    @Test
    void aFrequentReasonDoesNotPushTheNewestOfAnotherOutOfTheStatus() {
        NodeMetrics metrics = NodeMetrics.inProcess();
        SecurityCounters counters = new SecurityCounters(metrics);
        PeerPath rare = new PeerPath.Udp(new InetSocketAddress("10.99.0.6", 5800));
        PeerPath busy = new PeerPath.Udp(new InetSocketAddress("10.99.0.5", 5800));
        counters.refuse(rare, "site6", "certificate-address-not-key", "names another address", 1_000);
        for (int i = 0; i < 3 * SecurityCounters.KEEP; i++) {
            counters.refuse(busy, "site5", "certificate-expired", "ended", 2_000 + i);
        }
        List<NodeStatus.Refusal> shown = counters.snapshot(MetricsSnapshot.of(metrics), "g", 0, Map.of(), Map.of()).lastRefused();
        assertEquals(SecurityCounters.KEEP + 1, shown.size(), "the last few of all, and the newest of each reason");
        assertEquals("certificate-address-not-key", shown.get(0).reason(), "oldest first: " + shown);
        assertTrue(shown.stream().skip(1).allMatch(r -> r.reason().equals("certificate-expired")));
        assertEquals(2_000 + 3 * SecurityCounters.KEEP - 1, shown.get(shown.size() - 1).atMillis());
    }

    @Test
    void refusalsAndSessionsAreTheRegistrysFigures() {
        NodeMetrics metrics = NodeMetrics.inProcess();
        SecurityCounters counters = new SecurityCounters(metrics);
        PeerPath from = new PeerPath.Udp(new InetSocketAddress("10.99.0.5", 5800));
        counters.count("record-forged", from);
        counters.count("record-forged", from);
        counters.handshakes.inc();
        counters.relayedBytes.inc(1400);
        MetricsSnapshot scrape = MetricsSnapshot.of(metrics);
        assertEquals(Map.of("record-forged", 2L), scrape.refused("secure"));
        assertEquals(1400, scrape.get(SecurityCounters.RELAYED_BYTES));
        NodeStatus.SecurityStats status = counters.snapshot(scrape, "g", 0, Map.of(), Map.of());
        assertEquals(2L, status.refused().get("record-forged"));
        assertEquals(1, status.handshakes());
    }
}
