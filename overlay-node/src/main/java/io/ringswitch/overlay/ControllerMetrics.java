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
import java.util.Map;
import java.util.function.Supplier;

/**
 * The switch controller's figures in the node's registry, read from its own status record when the
 * registry is scraped: OpenFlow messages by kind, refused messages by reason, and the bridge's
 * switches, flows, groups, meters and learnt MACs, and multicast snooping (IGMP/MLD messages, joins
 * refused, groups and member ports, querier). The controller module keeps its counters
 * (thread-safe {@code LongAdder}s, as cheap as a data point) and does not depend on the metrics
 * library. One collector emits all of them from one {@link ControllerStatus} per scrape, so they
 * cannot disagree with each other and the controller builds its status once per scrape.
 * The status file takes the controller's section from the controller directly, so its scrape
 * leaves these names out ({@link NodeMetrics#notInStatus}).
 */
final class ControllerMetrics implements MultiCollector {
    static final String MESSAGES = "ringswitch_openflow_messages";
    static final String REFUSED = "ringswitch_openflow_refused";
    static final String ENTRIES = "ringswitch_bridge_entries";
    static final String SWITCHES = "ringswitch_bridge_switches";
    static final String IGMP_MLD = "ringswitch_igmp_mld_messages";
    static final String MULTICAST_REFUSED = "ringswitch_multicast_refused";
    static final String LOCAL_GROUPS = "ringswitch_multicast_local_groups";
    static final String QUERIER = "ringswitch_multicast_querier";
    static final List<String> NAMES = List.of(MESSAGES, REFUSED, ENTRIES, SWITCHES, IGMP_MLD, MULTICAST_REFUSED,
            LOCAL_GROUPS, QUERIER);

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
                        .dataPoint(GaugeDataPointSnapshot.builder().value(s.switches().size()).build()).build(),
                counters(IGMP_MLD, "IGMP and MLD messages: reports (one per group record), leaves, queries sent and heard.",
                        "kind", new String[] {"report", "leave", "query_sent", "query_heard"},
                        counts(s.switchCounters(), "igmp_mld_reports", "igmp_mld_leaves", "igmp_mld_queries_sent",
                                "igmp_mld_queries_heard")),
                counters(MULTICAST_REFUSED, "IGMP/MLD messages refused as malformed, and joins refused because the switch"
                                + " holds the most groups it will.", "reason", new String[] {"malformed", "groups-full"},
                        counts(s.switchCounters(), "igmp_mld_malformed", "multicast_groups_refused")),
                gauges(LOCAL_GROUPS, "IP groups with members on local ports, and their member ports.", "kind",
                        new String[] {"groups", "member_ports"},
                        counts(s.switchCounters(), "multicast_groups", "multicast_member_ports")),
                gauges(QUERIER, "1 when this switch is the querier, by protocol.", "protocol", new String[] {"igmp", "mld"},
                        counts(s.switchCounters(), "igmp_querier", "mld_querier")));
    }

    /** The controller's named switch counters {@code keys}, 0 for one it does not report. */
    private static long[] counts(Map<String, Long> switchCounters, String... keys) {
        long[] values = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = switchCounters.getOrDefault(keys[i], 0L);
        }
        return values;
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
