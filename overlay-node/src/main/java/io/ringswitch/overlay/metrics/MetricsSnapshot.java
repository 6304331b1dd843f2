package io.ringswitch.overlay.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a node's registry, read by the parts that build the status file's sections: the
 * status shows what {@code /metrics} shows, never a copy kept beside it. Taken once per status
 * snapshot; lookups scan a metric's few data points. Only what the status reads is scraped
 * ({@link NodeMetrics#readByStatus}): the JVM's metrics are not in it, and the per-link and
 * controller figures it takes from their owners.
 */
public final class MetricsSnapshot {
    private final Map<String, MetricSnapshot> byName = new HashMap<>();

    private MetricsSnapshot(Iterable<MetricSnapshot> scrape) {
        for (MetricSnapshot s : scrape) {
            byName.put(s.getMetadata().getName(), s);
        }
    }

    /** A scrape of what the status file reads of {@code metrics}, now. */
    public static MetricsSnapshot of(NodeMetrics metrics) {
        return new MetricsSnapshot(metrics.registry().scrape(metrics::readByStatus));
    }

    /** A scrape of every metric of {@code metrics}, as {@code /metrics} shows them. */
    public static MetricsSnapshot ofAll(NodeMetrics metrics) {
        return new MetricsSnapshot(metrics.registry().scrape());
    }

    /** The value of the counter data point {@code key}; 0 when it never moved (or is not registered). */
    public long get(CounterKey key) {
        if (!(byName.get(bare(key.name())) instanceof CounterSnapshot c)) {
            return 0;
        }
        for (CounterSnapshot.CounterDataPointSnapshot p : c.getDataPoints()) {
            if (matches(p.getLabels(), key.labelNames(), key.labelValues())) {
                return (long) p.getValue();
            }
        }
        return 0;
    }

    /**
     * The data points of counter {@code name} whose labels hold {@code fixed}, by their value of
     * {@code label}, those at 0 left out (e.g. the refusals of one layer, by reason).
     */
    public Map<String, Long> byLabel(String name, String label, Map<String, String> fixed) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (byName.get(bare(name)) instanceof CounterSnapshot c) {
            for (CounterSnapshot.CounterDataPointSnapshot p : c.getDataPoints()) {
                if (p.getValue() > 0 && holds(p, fixed)) {
                    out.merge(p.getLabels().get(label), (long) p.getValue(), Long::sum);
                }
            }
        }
        return out;
    }

    /** The refusals of {@code layer}, by reason. */
    public Map<String, Long> refused(String layer) {
        return byLabel(Metrics.REFUSED, "reason", Map.of("layer", layer));
    }

    /** The value of gauge {@code name} at {@code labelValues} of {@code labelNames}; 0 when absent. */
    public double gauge(String name, List<String> labelNames, List<String> labelValues) {
        if (byName.get(name) instanceof GaugeSnapshot g) {
            for (GaugeSnapshot.GaugeDataPointSnapshot p : g.getDataPoints()) {
                if (matches(p.getLabels(), labelNames, labelValues)) {
                    return p.getValue();
                }
            }
        }
        return 0;
    }

    /** Whether the registry holds a metric named {@code name} (a counter by its name with {@code _total}). */
    public boolean has(String name) {
        return byName.containsKey(bare(name));
    }

    /** The value of gauge {@code name} without labels; {@code otherwise} when it is absent or has no data point. */
    public double gauge(String name, double otherwise) {
        for (Point p : points(name)) {
            if (p.labels().isEmpty()) {
                return p.value();
            }
        }
        return otherwise;
    }

    /**
     * Every data point of gauge or counter {@code name} in the order the registry reports them, for
     * the info-style gauges whose labels carry what is no number (a state, a peer, an endpoint).
     */
    public List<Point> points(String name) {
        List<Point> out = new ArrayList<>();
        MetricSnapshot s = byName.get(bare(name));
        if (s != null) {
            for (DataPointSnapshot p : s.getDataPoints()) {
                double v = p instanceof GaugeSnapshot.GaugeDataPointSnapshot g ? g.getValue()
                        : p instanceof CounterSnapshot.CounterDataPointSnapshot c ? c.getValue() : Double.NaN;
                Map<String, String> labels = new LinkedHashMap<>();
                p.getLabels().forEach(l -> labels.put(l.getName(), l.getValue()));
                out.add(new Point(labels, v));
            }
        }
        return out;
    }

    /** One data point: its labels by name and its value. */
    public record Point(Map<String, String> labels, double value) {
        /** The value of label {@code name}, or {@code otherwise} when it has none. */
        public String label(String name, String otherwise) {
            return labels.getOrDefault(name, otherwise);
        }
    }

    private static boolean holds(DataPointSnapshot p, Map<String, String> fixed) {
        for (Map.Entry<String, String> e : fixed.entrySet()) {
            if (!e.getValue().equals(p.getLabels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Labels labels, List<String> names, List<String> values) {
        if (labels.size() != names.size()) {
            return false;
        }
        for (int i = 0; i < names.size(); i++) {
            if (!values.get(i).equals(labels.get(names.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /** A counter's name as the registry keeps it: without the {@code _total} the exposition adds. */
    private static String bare(String name) {
        return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    }
}
