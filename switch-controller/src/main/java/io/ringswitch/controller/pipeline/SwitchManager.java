package io.ringswitch.controller.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * One switching concern of the bridge (Faucet's valve managers): it owns the flows, groups and
 * meters under its cookie, rebuilds them from its own state when the switch (re)connects, and
 * answers the packet-ins its punt flows send. Every method returns the OpenFlow messages it wants
 * sent; none touches a channel. All calls come on the switch channel's thread.
 */
public interface SwitchManager {

    /** The cookie of every flow this manager installs; packet-ins carrying it come back here. */
    U64 cookie();

    /** The switch's tables were just emptied (a new connection): the manager's flows from its state. */
    List<OFMessage> switchReady();

    /** A port joined the bridge (or was listed after the handshake). */
    default List<OFMessage> portAdded(SwitchPort port) {
        return List.of();
    }

    /** A port left the bridge. */
    default List<OFMessage> portRemoved(SwitchPort port) {
        return List.of();
    }

    /** A frame one of this manager's flows sent to the controller. */
    default List<OFMessage> packetIn(OFPort inPort, byte[] frame) {
        return List.of();
    }

    /** Once a second: timers (aging, queries, lease expiry). */
    default List<OFMessage> tick() {
        return List.of();
    }

    /**
     * Switch-side counters this manager names: counter name to the exact (sub-)cookie whose flows'
     * packet counts add up to it (from the periodic FLOW_STATS), e.g. "arp_answered_in_datapath" to
     * {@code Cookies.sub(Cookies.ARP_ND, 1)}. Several managers may add to one name.
     */
    default Map<String, U64> flowCounters() {
        return Map.of();
    }

    /** Switch-side counters from meters: counter name to the meter ids whose drop bands add up to it (METER_STATS). */
    default Map<String, Set<Long>> meterDropCounters() {
        return Map.of();
    }

    /** Controller-side counters of this manager (refused packets, leases, MACs known) for status. */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /**
     * Whether this manager is told of infrastructure ports (a full tunnel's uplink and underlay port,
     * a gateway port). Only the managers that own their flows say yes; every other manager never
     * sees them, so none binds, floods to or adds them to a group.
     */
    default boolean seesInfrastructurePorts() {
        return false;
    }

    /**
     * A port of the bridge as the managers see it.
     *
     * @param infrastructure a port that is not a host port: the full tunnel's uplink or underlay port,
     *                       or the gateway port; never in {@link SwitchContext#localPorts()}
     */
    record SwitchPort(OFPort number, String name, boolean overlay, boolean trusted, boolean infrastructure) {
        /** A host port or the overlay port. */
        public SwitchPort(OFPort number, String name, boolean overlay, boolean trusted) {
            this(number, name, overlay, trusted, false);
        }
    }
}
