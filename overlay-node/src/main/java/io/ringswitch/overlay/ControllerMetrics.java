package io.ringswitch.overlay;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.ringswitch.controller.OpenFlowController;
import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.overlay.metrics.NodeMetrics;
import java.util.List;
import java.util.function.Supplier;

/**
 * The switch controller's figures in the node's registry, read from its own status record when the
 * registry is scraped: OpenFlow messages by kind, refused messages by reason, and the bridge's
 * switches, flows, groups, meters and learnt MACs. The controller module keeps its counters
 * (thread-safe {@code LongAdder}s, as cheap as a data point) and does not depend on the metrics
 * library. One collector emits all four metrics from one {@link ControllerStatus} per scrape, so
 * they cannot disagree with each other and the controller builds its status once, not four times.
 * The status file takes the controller's section from the controller directly, so its scrape
 * leaves these names out ({@link NodeMetrics#notInStatus}).
 */
final class ControllerMetrics implements MultiCollector {
    static final String MESSAGES = "ringswitch_openflow_messages";
    static final String REFUSED = "ringswitch_openflow_refused";
    static final String ENTRIES = "ringswitch_bridge_entries";
    static final String SWITCHES = "ringswitch_bridge_switches";
    private static final List<String> NAMES = List.of(MESSAGES, REFUSED, ENTRIES, SWITCHES);

    private final Supplier<ControllerStatus> status;

    ControllerMetrics(Supplier<ControllerStatus> status) {
        this.status = status;
    }

    /** Registers the controller's metrics in {@code metrics}. */
    static void register(NodeMetrics metrics, OpenFlowController controller) {
        metrics.registry().register(new ControllerMetrics(controller::status));
        NAMES.forEach(metrics::notInStatus);
    }

    @Override
    public List<String> getPrometheusNames() {
        return NAMES;
    }

    @Override
    public MetricSnapshots collect() {
        ControllerStatus s = status.get();
        return MetricSnapshots.of(
                counters(MESSAGES, "OpenFlow messages between the controller and the bridge, by kind.", "kind",
                        new String[] {"packet_in", "flow_mod", "packet_out", "handshake", "error"},
                        s.packetIns(), s.flowMods(), s.switchCounters().getOrDefault("packet_outs", 0L), s.handshakes(),
                        s.switchErrors()),
                counters(REFUSED, "OpenFlow messages the controller refused, by reason.", "reason",
                        new String[] {"malformed", "bad-version"}, s.malformed(), s.badVersion()),
                gauges(ENTRIES, "The bridge's flows, groups and meters, and the MACs its L2 table learnt.", "kind",
                        new String[] {"flows", "groups", "meters", "learned_macs"},
                        s.flows(), s.groups(), s.meters(), s.learnedMacs()),
                GaugeSnapshot.builder().name(SWITCHES).help("Switches connected to the controller.")
                        .dataPoint(GaugeDataPointSnapshot.builder().value(s.switches().size()).build()).build());
    }

    private static CounterSnapshot counters(String name, String help, String label, String[] values, long... counts) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (int i = 0; i < values.length; i++) {
            b.dataPoint(CounterDataPointSnapshot.builder().value(counts[i]).labels(Labels.of(label, values[i])).build());
        }
        return b.build();
    }

    private static GaugeSnapshot gauges(String name, String help, String label, String[] values, long... counts) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (int i = 0; i < values.length; i++) {
            b.dataPoint(GaugeDataPointSnapshot.builder().value(counts[i]).labels(Labels.of(label, values[i])).build());
        }
        return b.build();
    }
}
