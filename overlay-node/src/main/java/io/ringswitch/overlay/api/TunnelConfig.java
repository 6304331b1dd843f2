package io.ringswitch.overlay.api;

import java.util.List;

/**
 * Split or full tunnel (issue 17). In full mode the uplink NIC sits on the bridge and the node's
 * own underlay address on an internal port ({@code local}); the controller's flows let only the
 * node's own traffic out of the uplink and send every other Internet-bound frame through the
 * overlay to the gateway the node chose, and drop it while no gateway answers.
 *
 * <pre>
 * tunnel: {mode: full, uplink: wan0, local: rsup, allowLan: false, lan: 192.168.1.0/24, ipv6: drop,
 *          choice: latency, probeSeconds: 5, underlayDns: [192.168.1.1], ipv6Prefix: fd77::/64}
 * </pre>
 *
 * @param mode         {@code split} (default) or {@code full}
 * @param uplink       the uplink NIC's port name on the bridge (full)
 * @param local        the internal port that holds the node's underlay address (full)
 * @param allowLan     whether hosts may reach the uplink's LAN {@code lan} directly (default false)
 * @param lan          the LAN behind the uplink, a subnet (needed when allowLan)
 * @param ipv6         {@code drop} (default) or {@code carry} Internet-bound IPv6
 * @param choice       how a gateway is chosen: {@code latency} (lowest round trip, default) or {@code random}
 * @param probeSeconds how often the chosen gateway and the next candidates are probed (1 to 60, default 5)
 * @param underlayDns  resolvers the node itself may ask over the uplink (e.g. for bootstrap names)
 * @param subnet       the VPN subnet when the site runs no DHCP (with DHCP: dhcp.subnet, and this is left out)
 * @param router       the hosts' router in the VPN when the site runs no DHCP (with DHCP: the DHCP server)
 * @param ipv6Prefix   the VPN's IPv6 prefix (/48 to /64, e.g. {@code fd77::/64}), the same at every site: what a
 *                     gateway that carries IPv6 masquerades (its {@code gateway.address6} lies in it); none by default
 */
public record TunnelConfig(
        @Doc(value = "split, or full: every Internet-bound frame goes to a gateway.", byDefault = "split", example = "full")
        String mode,
        @Doc(value = "The uplink NIC's port name on the bridge (full).", example = "wan0") String uplink,
        @Doc(value = "The internal port that holds the node's underlay address (full).", example = "rsup") String local,
        @Doc(value = "Whether hosts may reach the uplink's LAN directly.", byDefault = "false", example = "true")
        Boolean allowLan,
        @Doc(value = "The LAN behind the uplink, a subnet (needed when allowLan).", example = "192.168.1.0/24") String lan,
        @Doc(value = "drop or carry Internet-bound IPv6.", byDefault = "drop", example = "carry") String ipv6,
        @Doc(value = "How a gateway is chosen: latency (lowest round trip) or random.", byDefault = "latency",
                example = "random") String choice,
        @Doc(value = "Seconds between probes of the chosen gateway and the next candidates (1 to 60).", byDefault = "5",
                example = "2") Integer probeSeconds,
        @Doc(value = "Resolvers the node itself may ask over the uplink (e.g. for bootstrap names).", byDefault = "none",
                example = "[192.168.1.1]") List<String> underlayDns,
        @Doc(value = "The VPN subnet when the site runs no DHCP (with DHCP: dhcp.subnet, and this is left out).",
                example = "10.77.0.0/16") String subnet,
        @Doc(value = "The hosts' router in the VPN when the site runs no DHCP (with DHCP: the DHCP server).",
                example = "10.77.0.1") String router,
        @Doc(value = "The VPN's IPv6 prefix (/48 to /64), the same at every site: what a gateway that carries IPv6"
                + " masquerades.", byDefault = "none", example = "fd77::/64") String ipv6Prefix) {

    /** The default: split. */
    public static TunnelConfig split() {
        return new TunnelConfig("split", null, null, false, null, "drop", "latency", 5, List.of(), null, null, null);
    }

    public boolean full() {
        return "full".equals(mode);
    }

    public boolean carryIpv6() {
        return "carry".equals(ipv6);
    }

    public boolean randomChoice() {
        return "random".equals(choice);
    }

    /**
     * Defaults filled in and every field checked; {@code dhcp} is the site's DHCP section or null,
     * {@code dhcpOk} whether it passed its own checks (if not, the VPN subnet is left unknown).
     */
    TunnelConfig checked(DhcpConfig dhcp, boolean dhcpOk, ConfigProblems problems) {
        String m = mode == null ? "split" : mode;
        if (!m.equals("split") && !m.equals("full")) {
            problems.add("tunnel.mode", m, "split or full");
        }
        boolean isFull = m.equals("full");
        if (isFull && !NodeConfig.interfaceName(uplink)) {
            problems.add("tunnel.uplink", uplink, "the uplink NIC's port on the bridge, 1 to 15 of A-Z a-z 0-9 . _ -, e.g. wan0");
        }
        if (isFull && !NodeConfig.interfaceName(local)) {
            problems.add("tunnel.local", local, "the internal port with the node's underlay address, 1 to 15 of A-Z a-z 0-9 . _ -, e.g. rsup");
        }
        if (isFull && uplink != null && uplink.equals(local)) {
            problems.add("tunnel.local", local, "a port other than tunnel.uplink");
        }
        boolean lanOpen = allowLan != null && allowLan;
        int[] lanNet = lan == null && !lanOpen ? null : Subnets.parse("tunnel.lan", lan, 0, 32, problems);
        String v6 = ipv6 == null ? "drop" : ipv6;
        if (!v6.equals("drop") && !v6.equals("carry")) {
            problems.add("tunnel.ipv6", v6, "drop or carry");
        }
        String c = choice == null ? "latency" : choice;
        if (!c.equals("latency") && !c.equals("random")) {
            problems.add("tunnel.choice", c, "latency or random");
        }
        int probe = probeSeconds == null ? 5 : probeSeconds;
        if (probe < 1 || probe > 60) {
            problems.add("tunnel.probeSeconds", probe, "1 to 60 seconds");
        }
        List<String> dns = underlayDns == null ? List.of() : List.copyOf(underlayDns);
        for (int i = 0; i < dns.size(); i++) {
            if (Ipv4.parse(dns.get(i)) == null) {
                problems.add("tunnel.underlayDns[" + i + "]", dns.get(i), "an IPv4 address such as 192.168.1.1");
            }
        }
        String net = subnet;
        String gw = router;
        if (dhcp != null) {
            if (subnet != null || router != null) {
                problems.add(subnet != null ? "tunnel.subnet" : "tunnel.router", subnet != null ? subnet : router,
                        "leave it out: with dhcp the VPN subnet and router are dhcp.subnet and dhcp.server");
            }
            if (isFull && dhcp.router() != null && !dhcp.router().equals(dhcp.server())) {
                problems.add("dhcp.router", dhcp.router(), "leave it out: in a full tunnel hosts route through the site ("
                        + dhcp.server() + ", the DHCP server)");
            }
            net = dhcpOk ? dhcp.subnet() : null;
            gw = dhcpOk ? dhcp.server() : null;
        } else if (subnet != null || isFull) {
            int[] vpn = Subnets.parse("tunnel.subnet", subnet, 8, 30, problems);
            Integer r = Ipv4.parse(router);
            net = vpn == null ? null : Subnets.format(vpn);
            if (vpn != null) {
                if (isFull && (r == null || !Subnets.hostOf(r, vpn))) {
                    problems.add("tunnel.router", router, "the hosts' router, a host address of " + net
                            + " (a full tunnel without DHCP needs it)");
                }
            }
        }
        Ipv6Prefix prefix6 = ipv6Prefix == null ? null : Ipv6Prefix.parse("tunnel.ipv6Prefix", ipv6Prefix, 48, 64, problems);
        return new TunnelConfig(m, uplink, local, lanOpen, lanNet == null ? null : Subnets.format(lanNet), v6, c, probe, dns,
                net, gw, prefix6 == null ? null : prefix6.toString());
    }

    /** The VPN subnet {network, prefix} (from DHCP or {@code subnet}), or null when the site has none. */
    public int[] vpnSubnet() {
        if (subnet == null) {
            return null;
        }
        String[] parts = subnet.split("/");
        return new int[] {Ipv4.parse(parts[0]), Integer.parseInt(parts[1])};
    }

    /** The VPN's IPv6 prefix, or null when none is configured. */
    public Ipv6Prefix vpnPrefix6() {
        return ipv6Prefix == null ? null : Ipv6Prefix.parse("tunnel.ipv6Prefix", ipv6Prefix, 0, 128, new ConfigProblems());
    }

    /** The hosts' router in the VPN, 0 when none is known. */
    public int routerValue() {
        Integer r = Ipv4.parse(router);
        return r == null ? 0 : r;
    }

    /** The LAN behind the uplink {network, prefix}, or {0, 0} when none. */
    public int[] lanSubnet() {
        if (lan == null) {
            return new int[] {0, 0};
        }
        String[] parts = lan.split("/");
        return new int[] {Ipv4.parse(parts[0]), Integer.parseInt(parts[1])};
    }
}
