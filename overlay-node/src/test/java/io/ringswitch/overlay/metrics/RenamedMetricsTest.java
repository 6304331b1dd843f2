package io.ringswitch.overlay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A second ring node in the process (a private overlay's public one) counts under the node's own
 * names in its own registry; the node's registry shows it renamed, beside its own counts and
 * without a clash in the exposition.
 */
class RenamedMetricsTest {
    @Test
    void anotherRegistrysCountsShowUnderTheNewPrefixBesideTheNodesOwn() throws IOException {
        NodeMetrics node = NodeMetrics.inProcess();
        NodeMetrics publicRing = NodeMetrics.inProcess();
        node.include(publicRing, "ringswitch_", "ringswitch_public_");
        CounterKey refused = CounterKey.refused("secure", "bad-record");
        refused.in(node).inc();
        refused.in(publicRing).inc(3);
        publicRing.gauge("ringswitch_links", "Links.", "path").labelValues("udp").set(4);

        MetricsSnapshot scrape = MetricsSnapshot.of(node);
        assertEquals(1, scrape.get(refused));
        assertEquals(3, scrape.get(new CounterKey("ringswitch_public_refused_total", "", refused.labelNames(),
                refused.labelValues())));
        assertEquals(4, scrape.gauge("ringswitch_public_links", List.of("path"), List.of("udp")));
        assertEquals(3, MetricsSnapshot.of(publicRing).get(refused), "the public ring's own registry keeps its names");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, node.registry().scrape());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("ringswitch_public_refused_total{layer=\"secure\",reason=\"bad-record\"} 3"), text);
        assertTrue(text.contains("ringswitch_refused_total{layer=\"secure\",reason=\"bad-record\"} 1"), text);
        assertFalse(text.contains("ringswitch_links{"), "nothing of the public ring under the node's own names");
    }
}
