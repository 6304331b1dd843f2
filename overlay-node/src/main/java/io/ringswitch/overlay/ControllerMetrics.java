package io.ringswitch.overlay;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.ringswitch.controller.OpenFlowController;
import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.overlay.metrics.NodeMetrics;
import java.util.Map;

/**
 * The switch controller's figures in the node's registry, read from its own status record when the
 * registry is scraped: OpenFlow messages by kind, refused messages by reason, and the bridge's
 * switches, flows, groups, meters and learnt MACs, and multicast snooping (IGMP/MLD messages, joins
 * refused, groups and member ports, querier). The controller module keeps its counters
 * (thread-safe {@code LongAdder}s, as cheap as a data point) and does not depend on the metrics
 * library; one {@link ControllerStatus} per scrape is what both {@code /metrics} and the status
 * file show, so they cannot disagree.
 */
final class ControllerMetrics {
    private ControllerMetrics() {
    }

    /** Registers the controller's metrics in {@code metrics}. */
    static void register(NodeMetrics metrics, OpenFlowController controller) {
        metrics.registry().register(CounterWithCallback.builder().name("ringswitch_openflow_messages_total")
                .help("OpenFlow messages between the controller and the bridge, by kind.").labelNames("kind")
                .callback(cb -> {
                    ControllerStatus s = controller.status();
                    cb.call(s.packetIns(), "packet_in");
                    cb.call(s.flowMods(), "flow_mod");
                    cb.call(s.switchCounters().getOrDefault("packet_outs", 0L), "packet_out");
                    cb.call(s.handshakes(), "handshake");
                    cb.call(s.switchErrors(), "error");
                }).build());
        metrics.registry().register(CounterWithCallback.builder().name("ringswitch_openflow_refused_total")
                .help("OpenFlow messages the controller refused, by reason.").labelNames("reason")
                .callback(cb -> {
                    ControllerStatus s = controller.status();
                    cb.call(s.malformed(), "malformed");
                    cb.call(s.badVersion(), "bad-version");
                }).build());
        metrics.gaugeReadAtScrape("ringswitch_bridge_entries", "The bridge's flows, groups and meters, and the MACs its L2 table learnt.",
                cb -> {
                    ControllerStatus s = controller.status();
                    cb.call(s.flows(), "flows");
                    cb.call(s.groups(), "groups");
                    cb.call(s.meters(), "meters");
                    cb.call(s.learnedMacs(), "learned_macs");
                }, "kind");
        metrics.gaugeReadAtScrape("ringswitch_bridge_switches", "Switches connected to the controller.",
                cb -> cb.call(controller.status().switches().size()));
        registerMulticast(metrics, controller);
    }

    /** Multicast snooping, from the multicast manager's counters in the controller's status. */
    private static void registerMulticast(NodeMetrics metrics, OpenFlowController controller) {
        metrics.registry().register(CounterWithCallback.builder().name("ringswitch_igmp_mld_messages_total")
                .help("IGMP and MLD messages: reports (one per group record), leaves, queries sent and heard.")
                .labelNames("kind").callback(cb -> {
                    Map<String, Long> c = controller.status().switchCounters();
                    cb.call(c.getOrDefault("igmp_mld_reports", 0L), "report");
                    cb.call(c.getOrDefault("igmp_mld_leaves", 0L), "leave");
                    cb.call(c.getOrDefault("igmp_mld_queries_sent", 0L), "query_sent");
                    cb.call(c.getOrDefault("igmp_mld_queries_heard", 0L), "query_heard");
                }).build());
        metrics.registry().register(CounterWithCallback.builder().name("ringswitch_multicast_refused_total")
                .help("IGMP/MLD messages refused as malformed, and joins refused because the switch holds the most groups it will.")
                .labelNames("reason").callback(cb -> {
                    Map<String, Long> c = controller.status().switchCounters();
                    cb.call(c.getOrDefault("igmp_mld_malformed", 0L), "malformed");
                    cb.call(c.getOrDefault("multicast_groups_refused", 0L), "groups-full");
                }).build());
        metrics.gaugeReadAtScrape("ringswitch_multicast_local_groups", "IP groups with members on local ports, and their member ports.",
                cb -> {
                    Map<String, Long> c = controller.status().switchCounters();
                    cb.call(c.getOrDefault("multicast_groups", 0L), "groups");
                    cb.call(c.getOrDefault("multicast_member_ports", 0L), "member_ports");
                }, "kind");
        metrics.gaugeReadAtScrape("ringswitch_multicast_querier", "1 when this switch is the querier, by protocol.",
                cb -> {
                    Map<String, Long> c = controller.status().switchCounters();
                    cb.call(c.getOrDefault("igmp_querier", 0L), "igmp");
                    cb.call(c.getOrDefault("mld_querier", 0L), "mld");
                }, "protocol");
    }
}
