package io.ringswitch.overlay.api;

import java.util.List;

/**
 * Addresses without a server (RFC 2131): the node answers its hosts' DHCP and takes leases
 * from {@code pool} (first-last, inside {@code subnet}) through the DHT, so that every site
 * hands out from one pool and no address goes to two clients. {@code server} is the address
 * the node answers as (on every site the same, each with its own MAC; default: the subnet's
 * last address); {@code router} and {@code dns} are handed out when set.
 *
 * <pre>
 * dhcp: {subnet: 10.77.0.0/16, pool: 10.77.200.1-10.77.239.254, leaseSeconds: 600}
 * </pre>
 */
public record DhcpConfig(
        @Doc(value = "The VPN's IPv4 subnet, the same at every site (/8 to /30).", example = "10.77.0.0/16") String subnet,
        @Doc(value = "The addresses handed out, FIRST-LAST inside the subnet; every site takes leases from it through the DHT.",
                byDefault = "the whole subnet but its first and its last two addresses", example = "10.77.200.1-10.77.239.254")
        String pool,
        @Doc(value = "How long a lease lasts in seconds (10 to 604800); clients renew at half of it.", byDefault = "600",
                example = "3600") Integer leaseSeconds,
        @Doc(value = "The address the node answers DHCP as (the same on every site, each with its own MAC), outside the pool.",
                byDefault = "the subnet's last host address", example = "10.77.255.254") String server,
        @Doc(value = "The router handed to clients, a host address of the subnet.", byDefault = "none handed out",
                example = "10.77.0.1") String router,
        @Doc(value = "The DNS servers handed to clients (IPv4 addresses).", byDefault = "none handed out",
                example = "[10.77.0.53]") List<String> dns) {
    /** A lease lasts 10 minutes unless configured; clients renew at half of it. */
    public static final int DEFAULT_LEASE_SECONDS = 600;

    private static final String POOL_EXAMPLE = "FIRST-LAST inside dhcp.subnet, e.g. 10.77.200.1-10.77.239.254";

    /** Defaults filled in and every field checked; returns this unchanged when the subnet is unusable. */
    DhcpConfig checked(ConfigProblems problems) {
        int before = problems.size();
        int[] net = Subnets.parse("dhcp.subnet", subnet, 8, 30, problems);
        int lease = leaseSeconds == null ? DEFAULT_LEASE_SECONDS : leaseSeconds;
        if (lease < 10 || lease > 86_400 * 7) {
            problems.add("dhcp.leaseSeconds", lease, "10 to 604800 seconds");
        }
        if (net == null) {
            return this;
        }
        int first = net[0] + 1;
        int last = net[0] + (int) ((1L << (32 - net[1])) - 2);
        String serverAddress = server == null ? Ipv4.format(last) : server;
        int srv = inside("dhcp.server", serverAddress, net, problems);
        String range = pool == null ? Ipv4.format(first) + "-" + Ipv4.format(last - 1) : pool;
        String[] ends = range.split("-", 2);
        if (ends.length != 2) {
            problems.add("dhcp.pool", range, POOL_EXAMPLE);
            return this;
        }
        int lo = inside("dhcp.pool", ends[0].trim(), net, problems);
        int hi = inside("dhcp.pool", ends[1].trim(), net, problems);
        if (problems.size() == before && Integer.compareUnsigned(lo, hi) > 0) {
            problems.add("dhcp.pool", range, "the first address must not come after the last; " + POOL_EXAMPLE);
        }
        if (problems.size() == before && Integer.compareUnsigned(lo, srv) <= 0 && Integer.compareUnsigned(srv, hi) <= 0) {
            problems.add("dhcp.server", serverAddress, "an address outside the pool " + range
                    + " (the node answers as it; leave it out for the subnet's last address)");
        }
        if (router != null) {
            inside("dhcp.router", router, net, problems);
        }
        List<String> servers = dns == null ? List.of() : List.copyOf(dns);
        for (int i = 0; i < servers.size(); i++) {
            if (Ipv4.parse(servers.get(i)) == null) {
                problems.add("dhcp.dns[" + i + "]", servers.get(i), "an IPv4 address such as 10.77.0.53");
            }
        }
        return new DhcpConfig(Subnets.format(net), range, lease, serverAddress, router, servers);
    }

    private static int inside(String field, String value, int[] net, ConfigProblems problems) {
        Integer ip = Ipv4.parse(value);
        if (ip == null || !Subnets.hostOf(ip, net)) {
            problems.add(field, value, "a host address of " + Subnets.format(net));
            return 0;
        }
        return ip;
    }

    public int subnetBase() {
        return Ipv4.parse(subnet.split("/")[0]);
    }

    public int prefixLength() {
        return Integer.parseInt(subnet.split("/")[1]);
    }

    public int poolFirst() {
        return Ipv4.parse(pool.split("-")[0].trim());
    }

    public int poolLast() {
        return Ipv4.parse(pool.split("-")[1].trim());
    }

    public int serverAddress() {
        return Ipv4.parse(server);
    }
}
