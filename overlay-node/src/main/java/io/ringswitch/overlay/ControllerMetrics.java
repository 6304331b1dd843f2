package io.ringswitch.overlay;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.ringswitch.controller.OpenFlowController;
import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.overlay.metrics.NodeMetrics;

/**
 * The switch controller's figures in the node's registry, read from its own status record when the
 * registry is scraped: OpenFlow messages by kind, refused messages by reason, and the bridge's
 * switches, flows, groups, meters and learnt MACs. The controller module keeps its counters
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
    }
}
