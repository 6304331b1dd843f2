package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ControllerMetricsTest {
    private static final ControllerStatus STATUS = new ControllerStatus(List.of("00:00:00:00:00:00:00:01"), 3, 7,
            11, 13, 2, 1, 4, 5, 40, 6, 3, Map.of("packet_outs", 17L), null);

    @Test
    void oneScrapeAsksTheControllerForItsStatusOnceAndShowsItsFigures() {
        AtomicInteger asked = new AtomicInteger();
        NodeMetrics metrics = NodeMetrics.inProcess();
        metrics.registry().register(new ControllerMetrics(() -> {
            asked.incrementAndGet();
            return STATUS;
        }));
        MetricSnapshots scrape = metrics.registry().scrape();
        assertEquals(1, asked.get());
        assertEquals(11, counter(scrape, ControllerMetrics.MESSAGES, "kind", "packet_in"));
        assertEquals(17, counter(scrape, ControllerMetrics.MESSAGES, "kind", "packet_out"));
        assertEquals(2, counter(scrape, ControllerMetrics.REFUSED, "reason", "malformed"));
        assertEquals(40, gauge(scrape, ControllerMetrics.ENTRIES, Labels.of("kind", "flows")));
        assertEquals(7, gauge(scrape, ControllerMetrics.ENTRIES, Labels.of("kind", "learned_macs")));
        assertEquals(1, gauge(scrape, ControllerMetrics.SWITCHES, Labels.EMPTY));
    }

    /** The status file takes the controller's section from the controller: its scrape does not ask again. */
    @Test
    void theStatusScrapeLeavesTheControllerAlone() {
        AtomicInteger asked = new AtomicInteger();
        NodeMetrics metrics = NodeMetrics.inProcess();
        metrics.registry().register(new ControllerMetrics(() -> {
            asked.incrementAndGet();
            return STATUS;
        }));
        ControllerMetrics.NAMES.forEach(metrics::notInStatus);
        MetricsSnapshot.of(metrics);
        assertEquals(0, asked.get());
    }

    private static long counter(MetricSnapshots scrape, String name, String label, String value) {
        for (MetricSnapshot s : scrape) {
            if (s.getMetadata().getName().equals(name) && s instanceof CounterSnapshot c) {
                return (long) c.getDataPoints().stream().filter(p -> p.getLabels().equals(Labels.of(label, value)))
                        .findFirst().orElseThrow().getValue();
            }
        }
        throw new AssertionError(name + " not scraped");
    }

    private static long gauge(MetricSnapshots scrape, String name, Labels labels) {
        for (MetricSnapshot s : scrape) {
            if (s.getMetadata().getName().equals(name) && s instanceof GaugeSnapshot g) {
                return (long) g.getDataPoints().stream().filter(p -> p.getLabels().equals(labels))
                        .findFirst().orElseThrow().getValue();
            }
        }
        throw new AssertionError(name + " not scraped");
    }
}
