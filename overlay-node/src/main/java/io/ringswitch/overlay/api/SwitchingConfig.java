package io.ringswitch.overlay.api;

import java.util.List;

/**
 * The bridge's switching: ports (by name) that may send from any MAC and address (a router, a
 * nested switch); how many MACs any other port may own; how many frames a second a port may
 * flood (broadcast, unknown unicast) and send to the controller.
 *
 * <pre>
 * switching: {trustedPorts: [uplink0], macsPerPort: 1, floodPps: 200, packetInPps: 100}
 * </pre>
 */
public record SwitchingConfig(
        @Doc(value = "Bridge ports (by name) that may send from any MAC and IP address: a router, a nested switch.",
                byDefault = "none", example = "[uplink0]") List<String> trustedPorts,
        @Doc(value = "How many MAC addresses any other port may own (1 to 4096); port security drops the rest.",
                byDefault = "1", example = "4") Integer macsPerPort,
        @Doc(value = "Frames a second a port may flood (broadcast, unknown unicast), 1 to 1000000.", byDefault = "200",
                example = "1000") Integer floodPps,
        @Doc(value = "Frames a second a port may send to the controller (DHCP, IGMP, ARP misses), 1 to 100000.",
                byDefault = "100", example = "500") Integer packetInPps) {

    SwitchingConfig checked(ConfigProblems problems) {
        List<String> trusted = trustedPorts == null ? List.of() : List.copyOf(trustedPorts);
        int macs = macsPerPort == null ? 1 : macsPerPort;
        int flood = floodPps == null ? 200 : floodPps;
        int punt = packetInPps == null ? 100 : packetInPps;
        if (macs < 1 || macs > 4096) {
            problems.add("switching.macsPerPort", macs, "1 to 4096");
        }
        if (flood < 1 || flood > 1_000_000) {
            problems.add("switching.floodPps", flood, "1 to 1000000 frames a second");
        }
        if (punt < 1 || punt > 100_000) {
            problems.add("switching.packetInPps", punt, "1 to 100000 frames a second");
        }
        return new SwitchingConfig(trusted, macs, flood, punt);
    }
}
