package io.ringswitch.overlay.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This site as a gateway of the full tunnel (issue 17): it publishes a gateway record in the DHT,
 * answers clients' probes, and puts an internal port on its bridge whose Linux side masquerades the
 * VPN out of {@code uplink} and forwards DNS sent to {@code address} to {@code resolver}
 * ({@code ovs-scripts/gateway.sh}).
 *
 * <pre>
 * gateway: {enabled: true, uplink: wan0, port: rsgw, address: 10.77.254.1, resolver: 198.51.100.53,
 *           ipv6: true, address6: fd77::fe:1}      # with tunnel: {ipv6Prefix: fd77::/64}
 * </pre>
 *
 * @param enabled  whether this site is a gateway (default false: the rest is ignored)
 * @param uplink   the Linux interface towards the Internet that the VPN is masqueraded out of
 * @param port     the gateway port's name on the bridge (default {@code rsgw})
 * @param address  the gateway port's VPN address: a host address of the VPN subnet, outside the DHCP pool
 * @param resolver where DNS sent to {@code address} goes (default: the first IPv4 nameserver of /etc/resolv.conf)
 * @param ipv6     whether this gateway carries IPv6 to the Internet (default false): its port then gets
 *                 {@code address6} and its nftables masquerade the VPN's IPv6 prefix (NAT66) out of the uplink
 * @param address6 the gateway port's IPv6 address, a host address of {@code tunnel.ipv6Prefix} (needed when ipv6)
 * @param script   the path of {@code gateway.sh} (default: {@code ovs-scripts/gateway.sh} of the checkout)
 */
public record GatewayConfig(
        @Doc(value = "Whether this site is a gateway of the full tunnel (when false the rest is ignored).", byDefault = "false",
                example = "true") Boolean enabled,
        @Doc(value = "The Linux interface towards the Internet that the VPN is masqueraded out of.", example = "wan0")
        String uplink,
        @Doc(value = "The gateway port's name on the bridge.", byDefault = DEFAULT_PORT, example = "rsgw") String port,
        @Doc(value = "The gateway port's VPN address: a host address of the VPN subnet, outside the DHCP pool.",
                example = "10.77.254.1") String address,
        @Doc(value = "Where DNS sent to address goes (IPv4).", byDefault = "the first IPv4 nameserver of /etc/resolv.conf",
                example = "198.51.100.53") String resolver,
        @Doc(value = "Whether this gateway carries IPv6 to the Internet: its port gets address6 and the VPN's IPv6 prefix"
                + " is masqueraded (NAT66) out of the uplink.", byDefault = "false", example = "true") Boolean ipv6,
        @Doc(value = "The gateway port's IPv6 address, a host address of tunnel.ipv6Prefix (needed when ipv6).",
                example = "fd77::fe:1") String address6,
        @Doc(value = "The path of gateway.sh.", byDefault = "ovs-scripts/gateway.sh of the checkout",
                example = "/usr/lib/ringswitch/gateway.sh") String script) {
    /** The gateway port's name unless configured. */
    public static final String DEFAULT_PORT = "rsgw";

    /** No gateway. */
    public static GatewayConfig off() {
        return new GatewayConfig(false, null, null, null, null, false, null, null);
    }

    public boolean on() {
        return enabled != null && enabled;
    }

    /**
     * Defaults filled in and every field checked against the VPN subnet ({@code vpn}, null when the
     * site has none), its IPv6 prefix ({@code vpn6}, null when none) and the DHCP settings;
     * {@code resolvConf} is read only when no resolver is set.
     */
    GatewayConfig checked(int[] vpn, Ipv6Prefix vpn6, DhcpConfig dhcp, Path resolvConf, ConfigProblems problems) {
        if (!on()) {
            return off();
        }
        if (!NodeConfig.interfaceName(uplink)) {
            problems.add("gateway.uplink", uplink, "the Linux interface towards the Internet, 1 to 15 of A-Z a-z 0-9 . _ -, e.g. wan0");
        }
        String portName = port == null ? DEFAULT_PORT : port;
        if (!NodeConfig.interfaceName(portName)) {
            problems.add("gateway.port", portName, "1 to 15 characters of A-Z a-z 0-9 . _ -, e.g. rsgw");
        }
        Integer ip = Ipv4.parse(address);
        if (vpn == null) {
            problems.add("gateway", "a gateway without a VPN subnet", "set dhcp.subnet or tunnel.subnet: a gateway needs the VPN subnet");
        } else if (ip == null || !Subnets.hostOf(ip, vpn)) {
            problems.add("gateway.address", address, "a host address of the VPN subnet " + Subnets.format(vpn));
        } else if (dhcp != null && dhcp.pool() != null && dhcp.server() != null) {
            int first = dhcp.poolFirst();
            int last = dhcp.poolLast();
            if (Integer.compareUnsigned(first, ip) <= 0 && Integer.compareUnsigned(ip, last) <= 0) {
                problems.add("gateway.address", address, "an address outside the DHCP pool " + dhcp.pool());
            }
            if (ip == dhcp.serverAddress()) {
                problems.add("gateway.address", address, "an address other than the DHCP server's (the site router's)");
            }
        }
        String dns = resolver == null ? firstNameserver(resolvConf) : resolver;
        if (dns == null) {
            problems.add("gateway.resolver", null, "an IPv4 address such as 198.51.100.53 (there is no IPv4 nameserver in " + resolvConf + ")");
        } else if (Ipv4.parse(dns) == null) {
            problems.add("gateway.resolver", dns, "an IPv4 address such as 198.51.100.53");
        }
        boolean carries = ipv6 != null && ipv6;
        if (carries && vpn6 == null) {
            problems.add("gateway.ipv6", true, "set tunnel.ipv6Prefix (e.g. fd77::/64) too: carrying IPv6 needs the VPN's IPv6 prefix");
        } else if (carries && !vpn6.hostOf(address6)) {
            problems.add("gateway.address6", address6, "the gateway port's IPv6 address, a host address of " + vpn6);
        } else if (!carries && address6 != null) {
            problems.add("gateway.address6", address6, "set gateway.ipv6: true too, or leave address6 out");
        }
        return new GatewayConfig(true, uplink, portName, address, dns, carries, carries ? address6 : null, script);
    }

    /** The first IPv4 {@code nameserver} line of a resolv.conf, or null. */
    static String firstNameserver(Path resolvConf) {
        try {
            return firstNameserver(Files.readString(resolvConf));
        } catch (IOException e) {
            return null;
        }
    }

    static String firstNameserver(String text) {
        for (String line : text.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver") && Ipv4.parse(words[1]) != null) {
                return words[1];
            }
        }
        return null;
    }

    public int addressValue() {
        return Ipv4.parse(address);
    }
}
