package io.ringswitch.overlay.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * <p>The JVM's metrics are the library's, less two that cost the data path: its thread metrics
 * look for deadlocks on every scrape (a stop-the-world safepoint each time), and its allocation
 * metrics run a listener on every young collection (several a second under load). Thread counts
 * come from a gauge of our own instead. The status file's scrape, once a second on the event
 * loop, reads only the node's own metrics ({@link #isNodeMetric}).
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
    private final java.util.Set<String> notInStatus = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Whether counters' data points are plain cells in no registry ({@link #countedOnly}). */
    private final boolean countedOnly;

    private NodeMetrics(boolean jvm) {
        this(jvm, false);
    }

    private NodeMetrics(boolean jvm, boolean countedOnly) {
        this.countedOnly = countedOnly;
        if (jvm) {
            registerJvmMetrics();
        }
    }

    private void registerJvmMetrics() {
        JvmMemoryMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        registry.register(GaugeWithCallback.builder().name("jvm_threads_current")
                .help("Current thread count of a JVM").callback(cb -> cb.call(threads.getThreadCount())).build());
        registry.register(GaugeWithCallback.builder().name("jvm_threads_daemon")
                .help("Daemon thread count of a JVM").callback(cb -> cb.call(threads.getDaemonThreadCount())).build());
    }

    /** Whether {@code name} is one of the node's own metrics rather than the JVM's or the process's. */
    public static boolean isNodeMetric(String name) {
        return name.startsWith("ringswitch_");
    }

    /**
     * Marks {@code name} as a metric the status file takes from its owner directly (per-link
     * figures from the links, the controller's from its status record): the status's scrape skips
     * it, so its callbacks run only when {@code /metrics} is asked.
     */
    public void notInStatus(String name) {
        notInStatus.add(name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name);
    }

    /** The names the status file's scrape reads: the node's own, less those marked {@link #notInStatus}. */
    public boolean readByStatus(String name) {
        return isNodeMetric(name) && !notInStatus.contains(name);
    }

    /** The metrics of a node process: the JVM's metrics included. */
    public static NodeMetrics ofProcess() {
        return new NodeMetrics(true);
    }

    /** The metrics of one node among others in this JVM (tests, the simulator, a private overlay's public ring). */
    public static NodeMetrics inProcess() {
        return new NodeMetrics(false);
    }

    /**
     * The metrics of a node that nothing scrapes (the simulator's, 100,000 on one thread): the
     * data points of {@link CounterKey#in} are plain {@link CountingCell}s, read through their
     * owner's getters and absent from the registry. Not for a node that other threads read.
     */
    public static NodeMetrics countedOnly() {
        return new NodeMetrics(false, true);
    }

    /** Whether this node's counters are {@link CountingCell}s outside the registry. */
    boolean isCountedOnly() {
        return countedOnly;
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
