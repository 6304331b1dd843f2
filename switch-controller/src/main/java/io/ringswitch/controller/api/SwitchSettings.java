package io.ringswitch.controller.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.projectfloodlight.openflow.types.IPv6AddressWithMask;
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
 * @param tunnel       split (the default) or full tunnel, and the ports a full tunnel uses
 * @param gateway      this site's gateway port when it is a gateway of the full tunnel, else null
 */
public record SwitchSettings(MacAddress siteMac, int overlayMtu, Dhcp dhcp, Multicast multicast, Storm storm, Set<String> trustedPorts,
                             int macsPerPort, Tunnel tunnel, GatewayPort gateway) {
    public SwitchSettings {
        Objects.requireNonNull(siteMac, "siteMac");
        Objects.requireNonNull(tunnel, "tunnel");
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

    /** A split tunnel and no gateway port. */
    public SwitchSettings(MacAddress siteMac, int overlayMtu, Dhcp dhcp, Multicast multicast, Storm storm, Set<String> trustedPorts,
                          int macsPerPort) {
        this(siteMac, overlayMtu, dhcp, multicast, storm, trustedPorts, macsPerPort, Tunnel.split(), null);
    }

    /** Defaults: site MAC 02:52:00:00:00:01, overlay MTU 1400, no DHCP, querier on (125 s), default storm limits, no trusted port, one MAC per port. */
    public static SwitchSettings defaults() {
        return new SwitchSettings(MacAddress.of("02:52:00:00:00:01"), 1400, null, Multicast.defaults(), Storm.defaults(), Set.of(), 1);
    }

    /** These settings with another tunnel and gateway port. */
    public SwitchSettings withTunnel(Tunnel newTunnel, GatewayPort newGateway) {
        return new SwitchSettings(siteMac, overlayMtu, dhcp, multicast, storm, trustedPorts, macsPerPort, newTunnel, newGateway);
    }

    /**
     * The ports that are not host ports: a full tunnel's uplink and underlay port, the gateway port.
     * No manager binds them, floods to them or adds them to a multicast group; the tunnel's flows own them.
     */
    public Set<String> infrastructurePorts() {
        Set<String> names = new java.util.LinkedHashSet<>();
        if (tunnel.full()) {
            names.add(tunnel.uplinkPort());
            names.add(tunnel.localPort());
        }
        if (gateway != null) {
            names.add(gateway.portName());
        }
        return Set.copyOf(names);
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

    /** What a full tunnel does with IPv6 that leaves the VPN: carried to a gateway that carries it, or dropped. Never leaked. */
    public enum Ipv6Policy { CARRY, DROP }

    /**
     * The full tunnel (DESIGN.md, "Full tunnel by flow rules"). In {@code full} mode the uplink NIC
     * sits on the bridge and the node's own underlay address lives on a port of the bridge
     * ({@code localPort}, an internal port): flows let only the node's own underlay traffic and the
     * ARP its next hop needs between those two ports; every frame a host sends to the site's router
     * ({@code router}, answered as the site MAC) for an address outside the VPN is re-addressed to
     * the chosen gateway's MAC and leaves by the overlay port, and is dropped while no gateway answers.
     * Neither port is a host port: no binding, no flood, no multicast reaches them.
     *
     * @param full         full tunnel (true) or split (false: none of this, the other fields unused)
     * @param uplinkPort   the uplink NIC's port name on the bridge
     * @param localPort    the port that holds the node's underlay address (its UDP/TCP sockets)
     * @param udpPorts     the node's own UDP ports (its ring port): sources allowed out of the uplink
     * @param tcpPorts     the node's own TCP ports: its listening port (source) and its peers' (destination)
     * @param underlayDns  resolvers the node itself may ask (UDP/TCP 53 to them from localPort), e.g. for bootstrap names
     * @param vpnSubnet    the VPN's IPv4 subnet (network address, int in network order) and {@code vpnPrefix} its length
     * @param vpnPrefix    see vpnSubnet
     * @param router       the address hosts use as their router and DNS server (int, network order; the DHCP server's)
     * @param allowLan     whether hosts may reach the uplink's LAN ({@code lanSubnet}/{@code lanPrefix}) directly
     * @param lanSubnet    the LAN behind the uplink (int, network order), when allowLan
     * @param lanPrefix    its prefix length
     * @param ipv6         what Internet-bound IPv6 gets
     * @param ipv6Prefix   the VPN's IPv6 prefix, advertised to hosts for their addresses (SLAAC), or null
     */
    public record Tunnel(boolean full, String uplinkPort, String localPort, Set<Integer> udpPorts, Set<Integer> tcpPorts,
                         List<Integer> underlayDns, int vpnSubnet, int vpnPrefix, int router, boolean allowLan, int lanSubnet,
                         int lanPrefix, Ipv6Policy ipv6, IPv6AddressWithMask ipv6Prefix) {
        public Tunnel {
            udpPorts = Set.copyOf(udpPorts);
            tcpPorts = Set.copyOf(tcpPorts);
            underlayDns = List.copyOf(underlayDns);
            Objects.requireNonNull(ipv6, "ipv6");
            if (full) {
                Objects.requireNonNull(uplinkPort, "uplinkPort");
                Objects.requireNonNull(localPort, "localPort");
                if (uplinkPort.equals(localPort)) {
                    throw new IllegalArgumentException("the uplink and the local port must differ: " + uplinkPort);
                }
                if (udpPorts.isEmpty()) {
                    throw new IllegalArgumentException("a full tunnel needs the node's UDP port");
                }
                if (vpnPrefix < 1 || vpnPrefix > 32 || lanPrefix < 0 || lanPrefix > 32) {
                    throw new IllegalArgumentException("prefix lengths: VPN 1-32, LAN 0-32");
                }
            }
        }

        /** The default: split tunnel, nothing steered. */
        public static Tunnel split() {
            return new Tunnel(false, null, null, Set.of(), Set.of(), List.of(), 0, 0, 0, false, 0, 0, Ipv6Policy.DROP, null);
        }
    }

    /**
     * This site is a gateway: frames from the overlay port addressed to {@code mac} leave by
     * {@code portName} (an internal port whose Linux side forwards and masquerades to the uplink, and
     * forwards DNS to the resolver); what comes back from it goes to its destination host through the
     * overlay. The port may send from any IP address but only from {@code mac}; it is not a host port
     * (no flood, no multicast).
     *
     * @param portName the gateway port's name on the bridge
     * @param mac      its MAC, as published in the gateway record and the directory
     * @param address  its VPN address (int, network order)
     */
    public record GatewayPort(String portName, MacAddress mac, int address) {
        public GatewayPort {
            Objects.requireNonNull(portName, "portName");
            Objects.requireNonNull(mac, "mac");
        }
    }
}
