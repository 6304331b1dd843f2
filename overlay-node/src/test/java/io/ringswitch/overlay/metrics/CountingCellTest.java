package io.ringswitch.overlay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.ring.RingCounters;
import org.junit.jupiter.api.Test;

/** A node whose metrics are counted only counts as a registered node does, and registers nothing. */
class CountingCellTest {

    @Test
    void countsAsARegisteredDataPointDoesAndRefusesToGoDown() {
        CounterDataPoint registered = RingCounters.SENT.in(NodeMetrics.inProcess());
        CounterDataPoint cell = RingCounters.SENT.in(NodeMetrics.countedOnly());
        assertInstanceOf(CountingCell.class, cell);
        for (CounterDataPoint p : new CounterDataPoint[] {registered, cell}) {
            p.inc();
            p.inc(4L);
            p.inc(0.5);
            p.inc(0.75);
            assertThrows(IllegalArgumentException.class, () -> p.inc(-1L));
            assertThrows(IllegalArgumentException.class, () -> p.inc(-0.5));
        }
        assertEquals(registered.get(), cell.get(), 1e-9);
        assertEquals(registered.getLongValue(), cell.getLongValue());
    }

    @Test
    void aCountedOnlyNodesCountersAreReadThroughTheirOwnerAndNotScraped() {
        NodeMetrics metrics = NodeMetrics.countedOnly();
        RingCounters counters = new RingCounters(metrics);
        counters.linksUp.inc();
        counters.linksUp.inc();
        assertEquals(2, counters.linksUp());
        assertEquals(2L, counters.toMap().get("ring.linksUp"));
        assertTrue(metrics.registry().scrape().stream().noneMatch(s -> s.getMetadata().getName().startsWith("ringswitch_ring")));
    }
}
