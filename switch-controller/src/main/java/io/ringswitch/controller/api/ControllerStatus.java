package io.ringswitch.controller.api;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of the controller for status output.
 *
 * @param switches        datapath ids of the switches with a finished handshake
 * @param overlayPort     OpenFlow port number of the overlay port, or -1 while unknown
 * @param learnedMacs     MAC addresses the L2 table knows (local and remote)
 * @param packetIns       PACKET_IN messages handled
 * @param flowMods        FLOW_MOD messages sent
 * @param malformed       messages rejected as malformed (the channel was closed)
 * @param badVersion      handshakes or messages rejected for their OpenFlow version
 * @param switchErrors    ERROR messages received from switches
 * @param handshakes      handshakes completed since start
 * @param flows           flows in the switches at their last statistics reply (0 before one)
 * @param groups          groups in the switches at their last statistics reply
 * @param meters          meters in the switches at their last statistics reply
 * @param switchCounters  named counters: switch-side ones the managers name (packet counts of their
 *                        flows, meter drops: e.g. {@code arp_answered_in_datapath}, {@code storm_dropped},
 *                        {@code spoof_dropped}) and controller-side ones of the managers
 * @param dhcp            the DHCP server's leases and counters ({@link DhcpStats#off} without one)
 */
public record ControllerStatus(List<String> switches, int overlayPort, int learnedMacs, long packetIns,
                               long flowMods, long malformed, long badVersion, long switchErrors,
                               long handshakes, int flows, int groups, int meters, Map<String, Long> switchCounters,
                               DhcpStats dhcp) {
    /** The counter the L2 table reports its MAC count under; {@link #learnedMacs} shows it. */
    public static final String LEARNED_MACS = "l2_macs";

    public ControllerStatus {
        switches = List.copyOf(switches);
        switchCounters = switchCounters == null ? Map.of() : Map.copyOf(switchCounters);
        dhcp = dhcp == null ? DhcpStats.off(0) : dhcp;
    }

    /** The status before switch statistics existed (older status files, tests). */
    public ControllerStatus(List<String> switches, int overlayPort, int learnedMacs, long packetIns, long flowMods,
                            long malformed, long badVersion, long switchErrors, long handshakes) {
        this(switches, overlayPort, learnedMacs, packetIns, flowMods, malformed, badVersion, switchErrors, handshakes,
                0, 0, 0, Map.of(), DhcpStats.off(0));
    }
}
