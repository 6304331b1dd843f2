package io.ringswitch.overlay.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One node's metrics: the registry every part of the node registers its counters in, so that the
 * {@code /metrics} endpoint and the status file read the same figures. Each node owns its own
 * registry (tests run many nodes in one JVM, and the library's default registry is one per JVM);
 * only a real node process adds the JVM's own metrics, which would otherwise be one JVM's figures
 * repeated under every in-process node.
 *
 * <p>Parts ask for a metric by name; a name asked for twice (the refusals of several layers share
 * {@code ringswitch_refused_total}) gets the metric registered the first time. Counters have no
 * exemplars: an increment is one {@code LongAdder.add}, with no allocation and no tracer lookup.
 * Callers resolve their label values once ({@code counter(...).labelValues(...)}) and keep the data
 * point in a field.
 */
public final class NodeMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, Object> byName = new HashMap<>();

    private NodeMetrics(boolean jvm) {
        if (jvm) {
            JvmMetrics.builder().register(registry);
        }
    }

    /** The metrics of a node process: the JVM's metrics included. */
    public static NodeMetrics ofProcess() {
        return new NodeMetrics(true);
    }

    /** The metrics of one node among others in this JVM (tests, the simulator, a private overlay's public ring). */
    public static NodeMetrics inProcess() {
        return new NodeMetrics(false);
    }

    /** The registry, for the exporter and for readers of its snapshots. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * The counter named {@code name} (with its {@code _total} suffix, as exposed), registered on
     * first use with {@code help} and {@code labelNames}; later calls must name the same labels.
     */
    public synchronized Counter counter(String name, String help, String... labelNames) {
        Object known = byName.get(name);
        if (known != null) {
            return (Counter) known;
        }
        Counter c = Counter.builder().name(name).help(help).labelNames(labelNames).withoutExemplars().build();
        registry.register(c);
        byName.put(name, c);
        return c;
    }

    /** A gauge set by its owner (for values kept elsewhere, prefer {@link #gaugeReadAtScrape}). */
    public synchronized Gauge gauge(String name, String help, String... labelNames) {
        Object known = byName.get(name);
        if (known != null) {
            return (Gauge) known;
        }
        Gauge g = Gauge.builder().name(name).help(help).labelNames(labelNames).withoutExemplars().build();
        registry.register(g);
        byName.put(name, g);
        return g;
    }

    /**
     * Shows the counters and gauges of {@code other} (a second ring node's, in the same process) in
     * this registry, each name's {@code from} prefix replaced by {@code to}
     * ({@code ringswitch_refused_total} of a public ring node as {@code ringswitch_public_refused_total}).
     */
    public void include(NodeMetrics other, String from, String to) {
        registry.register(new RenamedMetrics(other.registry(), from, to));
    }

    /**
     * A gauge whose values are read when the registry is scraped: {@code read} is handed a callback
     * and calls it once per label set with the value. Values owned by one thread (the event loop)
     * are read racily but each is one word; what a scrape sees is at most one event old.
     */
    public synchronized void gaugeReadAtScrape(String name, String help, Consumer<GaugeWithCallback.Callback> read,
                                               String... labelNames) {
        if (byName.containsKey(name)) {
            throw new IllegalStateException(name + " is registered already");
        }
        GaugeWithCallback g = GaugeWithCallback.builder().name(name).help(help).labelNames(labelNames).callback(read).build();
        registry.register(g);
        byName.put(name, g);
    }
}
