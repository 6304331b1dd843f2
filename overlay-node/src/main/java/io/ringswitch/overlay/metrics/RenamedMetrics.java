package io.ringswitch.overlay.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;

/**
 * Another registry's counters and gauges shown in this one under other names: each name that starts
 * with {@code from} starts with {@code to} instead (names that do not are left out). A part that
 * runs the node's code a second time in the same process, and so counts under the same names, is
 * shown beside the node this way without clashing with it: a private overlay's public ring node
 * ({@code ringswitch_public_...}) and the records of its group ({@code ringswitch_private_overlay_...}).
 * Read at each scrape of this registry; the other registry keeps its own counts.
 */
final class RenamedMetrics implements MultiCollector {
    private final PrometheusRegistry source;
    private final String from;
    private final String to;

    RenamedMetrics(PrometheusRegistry source, String from, String to) {
        this.source = source;
        this.from = from;
        this.to = to;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        for (MetricSnapshot s : source.scrape()) {
            MetricMetadata m = s.getMetadata();
            if (!m.getName().startsWith(from)) {
                continue;
            }
            MetricMetadata renamed = new MetricMetadata(to + m.getName().substring(from.length()), m.getHelp(), m.getUnit());
            if (s instanceof CounterSnapshot c) {
                out.add(new CounterSnapshot(renamed, c.getDataPoints()));
            } else if (s instanceof GaugeSnapshot g) {
                out.add(new GaugeSnapshot(renamed, g.getDataPoints()));
            }
        }
        return new MetricSnapshots(out);
    }
}
