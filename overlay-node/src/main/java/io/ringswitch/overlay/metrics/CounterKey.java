package io.ringswitch.overlay.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.List;

/**
 * One counter's data point by name and label values: what a part registers (and keeps the data
 * point of, so that an increment never looks labels up) and what the status reader looks up in a
 * scrape. Declared once as a constant next to the field it names, so that the two cannot drift.
 *
 * @param name        the counter's name as exposed, with its {@code _total} suffix
 * @param help        what it counts
 * @param labelNames  its label names
 * @param labelValues this data point's values of them, in the same order
 */
public record CounterKey(String name, String help, List<String> labelNames, List<String> labelValues) {
    public CounterKey {
        if (labelNames.size() != labelValues.size()) {
            throw new IllegalArgumentException(name + ": " + labelNames + " against " + labelValues);
        }
    }

    /** A data point of a counter with one label. */
    public static CounterKey of(String name, String help, String label, String value) {
        return new CounterKey(name, help, List.of(label), List.of(value));
    }

    /** The counter of input {@code layer} refused for {@code reason}: {@code ringswitch_refused_total{layer,reason}}. */
    public static CounterKey refused(String layer, String reason) {
        return new CounterKey(Metrics.REFUSED, Metrics.REFUSED_HELP, List.of("layer", "reason"), List.of(layer, reason));
    }

    /**
     * This data point in {@code metrics}, registered on first use; keep it in a field. In the
     * metrics of {@link NodeMetrics#countedOnly()}, a cell of its own in no registry.
     */
    public CounterDataPoint in(NodeMetrics metrics) {
        if (metrics.isCountedOnly()) {
            return new CountingCell();
        }
        Counter c = metrics.counter(name, help, labelNames.toArray(String[]::new));
        return labelValues.isEmpty() ? c : c.labelValues(labelValues.toArray(String[]::new));
    }
}
