package io.ringswitch.topology;

import io.ringswitch.overlay.api.NodeStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The switch's own counters, as a node's status reports them (issue 16, "status from the switch"):
 * spoofed frames and address conflicts dropped by port security, ARP answered in the datapath or by
 * the controller, broadcast dropped by storm control. Readers tolerate a counter the status does
 * not carry: it reads as absent, and a delta over it is {@code null}, not a failure.
 */
public final class SwitchCounters {
    public static final String SPOOF_DROPPED = "spoof_dropped";
    public static final String ADDRESS_CONFLICTS = "address_conflicts";
    public static final String ARP_ANSWERED_IN_DATAPATH = "arp_answered_in_datapath";
    public static final String ARP_ANSWERED_BY_CONTROLLER = "arp_answered_by_controller";
    public static final String STORM_DROPPED = "storm_dropped";
    public static final List<String> KEYS = List.of(SPOOF_DROPPED, ADDRESS_CONFLICTS, ARP_ANSWERED_IN_DATAPATH,
            ARP_ANSWERED_BY_CONTROLLER, STORM_DROPPED);

    private SwitchCounters() {
    }

    /** One node's switch counters by key (the controller's named counters; see {@link #KEYS} for those read here). */
    public static Map<String, Long> read(NodeStatus status) {
        return status.controller().switchCounters();
    }

    /** The counters summed over every site whose node wrote a status. */
    public static Map<String, Long> total(Lab lab) {
        Map<String, Long> sum = new LinkedHashMap<>();
        for (int s = 1; s <= lab.spec().sites(); s++) {
            lab.nodeStatus(s).ifPresent(st -> read(st).forEach((k, v) -> sum.merge(k, v, Long::sum)));
        }
        return sum;
    }

    /** How far {@code key} rose from {@code before} to {@code after}; {@code null} when {@code after} lacks it. */
    public static Long delta(String key, Map<String, Long> before, Map<String, Long> after) {
        Long now = after.get(key);
        return now == null ? null : now - before.getOrDefault(key, 0L);
    }
}
