package io.ringswitch.controller.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * What the switching managers do on this site's bridge.
 *
 * @param siteMac      the MAC this site's switch answers as: the DHCP server, the IGMP/MLD querier
 * @param overlayMtu   the largest IP packet the overlay carries (frames over it get ICMP "too big")
 * @param dhcp         the DHCP server's settings, or null for no DHCP on this site
 * @param multicast    IGMP/MLD snooping and querier settings
 * @param storm        storm control and packet-in limits per port
 * @param trustedPorts ports (by name) that may send from any MAC and address: a router, a nested switch
 * @param macsPerPort  how many MACs one untrusted port may own (one host behind a veth: 1)
 */
public record SwitchSettings(MacAddress siteMac, int overlayMtu, Dhcp dhcp, Multicast multicast, Storm storm, Set<String> trustedPorts,
                             int macsPerPort) {
    public SwitchSettings {
        Objects.requireNonNull(siteMac, "siteMac");
        Objects.requireNonNull(multicast, "multicast");
        Objects.requireNonNull(storm, "storm");
        trustedPorts = Set.copyOf(trustedPorts);
        if (overlayMtu < 576 || overlayMtu > 65_000) {
            throw new IllegalArgumentException("overlayMtu must be between 576 and 65000, got " + overlayMtu);
        }
        if (macsPerPort < 1 || macsPerPort > 4096) {
            throw new IllegalArgumentException("macsPerPort must be between 1 and 4096, got " + macsPerPort);
        }
    }

    /** Defaults: site MAC 02:52:00:00:00:01, overlay MTU 1400, no DHCP, querier on (125 s), default storm limits, no trusted port, one MAC per port. */
    public static SwitchSettings defaults() {
        return new SwitchSettings(MacAddress.of("02:52:00:00:00:01"), 1400, null, Multicast.defaults(), Storm.defaults(), Set.of(), 1);
    }

    /**
     * The DHCP server (RFC 2131): addresses are IPv4 as ints in network order.
     *
     * @param subnet       the subnet's network address
     * @param prefix       its prefix length
     * @param poolFirst    the first address handed out
     * @param poolLast     the last address handed out
     * @param server       the address the controller answers as (the same on every site)
     * @param router       the router handed out (option 3), 0 for none
     * @param dns          the DNS servers handed out (option 6)
     * @param leaseSeconds the lease time (option 51)
     */
    public record Dhcp(int subnet, int prefix, int poolFirst, int poolLast, int server, int router, List<Integer> dns,
                       int leaseSeconds) {
        public Dhcp {
            dns = List.copyOf(dns);
        }
    }

    /** IGMP/MLD: whether this switch queries when no other querier is heard, and how often (RFC 3376 §8.2). */
    public record Multicast(boolean querier, int intervalSeconds) {
        public static Multicast defaults() {
            return new Multicast(true, 125);
        }
    }

    /**
     * Storm control, per local port, in packets a second (OpenFlow meters, drop bands).
     *
     * @param floodPps    broadcast, non-IP multicast and unknown unicast a port may flood
     * @param packetInPps frames a port may send to the controller (ARP misses, DHCP, IGMP/MLD, unknown sources)
     */
    public record Storm(int floodPps, int packetInPps) {
        public static Storm defaults() {
            return new Storm(200, 100);
        }
    }
}
