package io.ringswitch.overlay.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's configuration, read from YAML. Unknown keys are errors (a typo must not be ignored).
 *
 * <pre>
 * name: site1                      # shown in status and sent to peers
 * listen: 0.0.0.0:5800             # UDP address of the overlay
 * bootstrap: [192.0.2.2:5800]      # nodes to join the ring through (none: start a new ring)
 * ring: {shortcuts: 4}             # Symphony shortcuts per node
 * underlayMtu: 1500                # MTU of the path between sites
 * tap: {name: rs0, mtu: 1380, offloads: true}  # the overlay port; offloads: TSO super-frames and
 *                                  # checksums left to the node (IFF_VNET_HDR); false: frame by frame
 * bridge: {name: br0, ovsdb: unix:/var/run/openvswitch/db.sock}
 * controller: unix:/run/ringswitch/site1/openflow.sock   # where the bridge connects for OpenFlow
 *                                  # (ovs-vsctl set-controller BR unix:PATH); or tcp:127.0.0.1:6653,
 *                                  # loopback only (the default)
 * statusFile: /run/ringswitch/site1.json
 * identity: {certificate: site1.crt, key: site1.key, ca: ca.crt}   # from ringswitch ca; the ring
 *                                  # address is then the certificate key's (else SHA-1 of the name)
 * dhcp: {subnet: 10.77.0.0/16, pool: 10.77.200.1-10.77.239.254, leaseSeconds: 600}
 *                                  # the node answers DHCP from its hosts; leases are shared by all
 *                                  # sites through the ring's DHT (see {@link Dhcp}); absent: no DHCP
 * multicast: {querier: true, queryIntervalSeconds: 125}  # IGMP/MLD querier when the LAN has none
 * switching: {trustedPorts: [uplink0], macsPerPort: 1, floodPps: 200, packetInPps: 100}
 *                                  # port security and storm control on the bridge (see {@link Switching})
 * nat: {keepaliveSeconds: 15, relayChoice: latency, tcp: true}
 *                                  # keepalives hold NAT mappings open; a relay is chosen by
 *                                  # latency or stability (link age); TCP links where UDP fails
 * gateway: {enabled: true, uplink: wan0, port: rsgw, address: 10.77.254.1, resolver: 198.51.100.53}
 *                                  # this site is a gateway of the full tunnel (see {@link GatewayConfig})
 * tunnel: {mode: full, uplink: wan0, local: rsup, choice: latency, probeSeconds: 5}
 *                                  # split (default) or full tunnel (see {@link TunnelConfig})
 * dns: {domain: lab}               # the group's names, HOST.DOMAIN (see {@link DnsConfig})
 * renewal: {server: https://198.51.100.7:8443, serverSha256: 9f86...}
 *                                  # renew the certificate through the group server (written by
 *                                  # ringswitch enrol); the server's TLS certificate is pinned
 * revocation: {server: https://198.51.100.7:8443, serverSha256: 9f86..., intervalSeconds: 60}
 *                                  # fetch the group's CRL (GET /crl) this often (default 60 s);
 *                                  # without it, the renewal: server's CRL is fetched (issue 19)
 * public: {listen: 192.0.2.7:5801, bootstrap: [198.51.100.1:5800], identity: {...}}
 *                                  # a private overlay: this ring is the group's own, found through
 *                                  # a public ring's DHT (see {@link PublicRingConfig})
 * operator: {listen: 127.0.0.1:9464}   # the operator's HTTP endpoint (GET /metrics); "off" or
 *                                  # null turns it off (see {@link Operator})
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record NodeConfig(String name, String listen, List<String> bootstrap, Ring ring, Integer underlayMtu, Tap tap,
                         Bridge bridge, String controller, String statusFile, Identity identity, Dhcp dhcp,
                         Multicast multicast, Switching switching, Nat nat, GatewayConfig gateway, TunnelConfig tunnel,
                         DnsConfig dns, Renewal renewal, Revocation revocation,
                         @JsonProperty("public") PublicRingConfig publicRing, Operator operator) {

    /**
     * The operator's HTTP endpoint: Prometheus metrics at {@code /metrics} (issue 20). Loopback by
     * default ({@value #DEFAULT_LISTEN}); {@code listen: off} or {@code listen: null} turns it off.
     * A node that cannot bind it logs why and runs without it.
     */
    public record Operator(String listen) {
        public static final String DEFAULT_LISTEN = "127.0.0.1:9464";

        /** Whether the endpoint is served. */
        public boolean on() {
            return listen != null && !listen.equals("off");
        }

        Operator checked(List<String> problems) {
            if (on()) {
                tryEndpoint("operator.listen", listen, problems);
            }
            return this;
        }
    }

    /** The operator's endpoint as configured, the default when the config has no {@code operator:} section. */
    public Operator operatorOrDefault() {
        return operator == null ? new Operator(Operator.DEFAULT_LISTEN) : operator;
    }

    /** Default seconds between two fetches of the group's CRL. */
    public static final int CRL_INTERVAL_SECONDS = 60;

    /**
     * Where the node fetches the group's CRL ({@code GET /crl}) and how often; {@code server} and
     * {@code serverSha256} default to {@code renewal:}'s, {@code intervalSeconds} to 60.
     */
    public record Revocation(String server, String serverSha256, Integer intervalSeconds) {
    }

    /** The CRL's source with the defaults filled in; null when neither {@code revocation:} nor {@code renewal:} names a server. */
    public Revocation crlSource() {
        String server = revocation != null && revocation.server() != null ? revocation.server()
                : renewal == null ? null : renewal.server();
        String pin = revocation != null && revocation.serverSha256() != null ? revocation.serverSha256()
                : renewal == null ? null : renewal.serverSha256();
        int every = revocation != null && revocation.intervalSeconds() != null ? revocation.intervalSeconds() : CRL_INTERVAL_SECONDS;
        return server == null ? null : new Revocation(server, pin, every);
    }

    /**
     * Bytes a frame gains on the underlay: IPv4 20, UDP 8, envelope 8, record header 12 and tag 16,
     * routed ring header {@value RingMessageCodec#ROUTED_HEADER}, Ethernet 14, one VLAN tag 4.
     */
    public static final int OVERHEAD = 20 + 8 + 8 + 12 + 16 + RingMessageCodec.ROUTED_HEADER + 14 + 4;

    /**
     * Where the node renews its short-lived certificate: the group server's HTTPS address and the
     * SHA-256 fingerprint (64 hex digits) of its TLS certificate, which the node pins.
     */
    public record Renewal(String server, String serverSha256) {
    }

    /** Ring settings. */
    public record Ring(Integer shortcuts) {
    }

    /** The overlay port; {@code offloads} is true unless turned off. */
    public record Tap(String name, Integer mtu, Boolean offloads) {
        public boolean offloadsOn() {
            return offloads == null || offloads;
        }
    }

    /** The node's certificate, key and the group's CA certificate (PEM files, from {@code ringswitch ca}). */
    public record Identity(String certificate, String key, String ca) {
    }

    /**
     * Multicast: whether the node queries its LAN for members when no other querier is heard, and
     * how often (RFC 3376 §8.2: 125 s unless set).
     */
    public record Multicast(Boolean querier, Integer queryIntervalSeconds) {
        public boolean querierOn() {
            return querier == null || querier;
        }

        public int intervalSeconds() {
            return queryIntervalSeconds == null ? 125 : queryIntervalSeconds;
        }
    }

    /**
     * The bridge's switching: ports (by name) that may send from any MAC and address (a router, a
     * nested switch); how many MACs any other port may own; how many frames a second a port may
     * flood (broadcast, unknown unicast) and send to the controller.
     */
    public record Switching(List<String> trustedPorts, Integer macsPerPort, Integer floodPps, Integer packetInPps) {
        Switching checked(List<String> problems) {
            List<String> trusted = trustedPorts == null ? List.of() : List.copyOf(trustedPorts);
            int macs = macsPerPort == null ? 1 : macsPerPort;
            int flood = floodPps == null ? 200 : floodPps;
            int punt = packetInPps == null ? 100 : packetInPps;
            if (macs < 1 || macs > 4096) {
                problems.add("switching.macsPerPort: 1 to 4096 (got " + macs + ")");
            }
            if (flood < 1 || flood > 1_000_000) {
                problems.add("switching.floodPps: 1 to 1000000 (got " + flood + ")");
            }
            if (punt < 1 || punt > 100_000) {
                problems.add("switching.packetInPps: 1 to 100000 (got " + punt + ")");
            }
            return new Switching(trusted, macs, flood, punt);
        }
    }

    /** The OVS bridge the overlay port joins; {@code ovsdb} is empty for the system's default database. */
    public record Bridge(String name, String ovsdb) {
    }

    /**
     * Addresses without a server (RFC 2131): the node answers its hosts' DHCP and takes leases
     * from {@code pool} (first-last, inside {@code subnet}) through the DHT, so that every site
     * hands out from one pool and no address goes to two clients. {@code server} is the address
     * the node answers as (on every site the same, each with its own MAC; default: the subnet's
     * last address); {@code router} and {@code dns} are handed out when set.
     */
    public record Dhcp(String subnet, String pool, Integer leaseSeconds, String server, String router, List<String> dns) {
        /** A lease lasts 10 minutes unless configured; clients renew at half of it. */
        public static final int DEFAULT_LEASE_SECONDS = 600;

        Dhcp checked(List<String> problems) {
            int before = problems.size();
            int[] net = cidr(subnet, problems);
            int lease = leaseSeconds == null ? DEFAULT_LEASE_SECONDS : leaseSeconds;
            if (lease < 10 || lease > 86_400 * 7) {
                problems.add("dhcp.leaseSeconds: 10 to 604800 (got " + lease + ")");
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
                problems.add("dhcp.pool: FIRST-LAST, e.g. 10.77.200.1-10.77.239.254 (got " + range + ")");
                return this;
            }
            int lo = inside("dhcp.pool", ends[0].trim(), net, problems);
            int hi = inside("dhcp.pool", ends[1].trim(), net, problems);
            if (problems.size() == before && Integer.compareUnsigned(lo, hi) > 0) {
                problems.add("dhcp.pool: the first address comes after the last (" + range + ")");
            }
            if (problems.size() == before && Integer.compareUnsigned(lo, srv) <= 0 && Integer.compareUnsigned(srv, hi) <= 0) {
                problems.add("dhcp.server " + serverAddress + " lies inside the pool " + range);
            }
            if (router != null) {
                inside("dhcp.router", router, net, problems);
            }
            List<String> servers = dns == null ? List.of() : List.copyOf(dns);
            for (String s : servers) {
                if (Ipv4.parse(s) == null) {
                    problems.add("dhcp.dns: " + s + " is not an IPv4 address");
                }
            }
            return new Dhcp(Ipv4.format(net[0]) + "/" + net[1], range, lease, serverAddress, router, servers);
        }

        private static int[] cidr(String value, List<String> problems) {
            String[] parts = value == null ? new String[0] : value.split("/", 2);
            Integer base = parts.length == 2 ? Ipv4.parse(parts[0]) : null;
            int bits = -1;
            try {
                bits = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (base == null || bits < 8 || bits > 30) {
                problems.add("dhcp.subnet: an IPv4 subnet of /8 to /30 such as 10.77.0.0/16 (got " + value + ")");
                return null;
            }
            int mask = (int) (0xffffffffL << (32 - bits));
            return new int[] {base & mask, bits};
        }

        private static int inside(String field, String value, int[] net, List<String> problems) {
            Integer ip = Ipv4.parse(value);
            int mask = (int) (0xffffffffL << (32 - net[1]));
            if (ip == null || (ip & mask) != net[0] || ip == net[0] || ip == (net[0] | ~mask)) {
                problems.add(field + ": " + value + " is not a host address of " + Ipv4.format(net[0]) + "/" + net[1]);
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

    /**
     * NAT traversal: how often an idle link sends a keepalive to hold NAT mappings open, how a
     * relay is chosen when two sites cannot reach each other directly ({@code latency}: the lowest
     * round trip through it; {@code stability}: the oldest links), and whether TCP links are tried
     * where UDP fails.
     */
    public record Nat(Integer keepaliveSeconds, String relayChoice, Boolean tcp) {
        Nat checked(List<String> problems) {
            int keepalive = keepaliveSeconds == null ? 15 : keepaliveSeconds;
            if (keepalive < 1 || keepalive > 300) {
                problems.add("nat.keepaliveSeconds: 1 to 300 (got " + keepalive + ")");
            }
            String choice = relayChoice == null ? "latency" : relayChoice;
            if (!choice.equals("latency") && !choice.equals("stability")) {
                problems.add("nat.relayChoice: latency or stability (got " + choice + ")");
            }
            return new Nat(keepalive, choice, tcp == null || tcp);
        }

        /** Whether relays are chosen by link age rather than round-trip time. */
        public boolean byStability() {
            return "stability".equals(relayChoice);
        }
    }

    /** The overlay port's MTU unless configured: room for the ring header under a 1500-byte underlay. */
    public static final int DEFAULT_MTU = 1360;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads and checks a config file; the exception says which field is wrong and why. */
    public static NodeConfig load(Path file) throws ConfigException {
        NodeConfig raw;
        try {
            raw = YAML.readValue(Files.readString(file), NodeConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        if (raw == null) {
            throw new ConfigException(file + ": the file is empty");
        }
        return raw.checked(file.toString());
    }

    /** Fills defaults and checks every field. */
    public NodeConfig checked(String where) throws ConfigException {
        List<String> problems = new ArrayList<>();
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            problems.add("name: 1 to 64 of A-Z a-z 0-9 . _ - (got " + name + ")");
        }
        tryEndpoint("listen", listen, problems);
        List<String> peerList = bootstrap == null ? List.of() : bootstrap;
        for (String peer : peerList) {
            tryEndpoint("bootstrap", peer, problems);
        }
        int shortcuts = ring == null || ring.shortcuts() == null ? RingConfig.defaults().shortcuts() : ring.shortcuts();
        if (shortcuts < 0 || shortcuts > 16) {
            problems.add("ring.shortcuts: 0 to 16 (got " + shortcuts + ")");
        }
        int underlay = underlayMtu == null ? 1500 : underlayMtu;
        if (underlay < 576 || underlay > 65535) {
            problems.add("underlayMtu: between 576 and 65535 (got " + underlay + ")");
        }
        Tap t = tap == null ? new Tap("rs0", null, null) : tap;
        int mtu = t.mtu() == null ? Math.min(DEFAULT_MTU, underlay - OVERHEAD) : t.mtu();
        if (t.name() == null || t.name().isEmpty() || t.name().length() > 15) {
            problems.add("tap.name: 1 to 15 characters (got " + t.name() + ")");
        }
        if (mtu < 576 || mtu + OVERHEAD > underlay) {
            problems.add("tap.mtu: " + mtu + " leaves no room for the " + OVERHEAD
                    + " bytes of encapsulation under underlayMtu " + underlay + "; use at most " + (underlay - OVERHEAD));
        }
        if (bridge == null || bridge.name() == null || bridge.name().isEmpty()) {
            problems.add("bridge.name: the OVS bridge the overlay port joins is required");
        }
        if (identity != null && (identity.certificate() == null || identity.key() == null || identity.ca() == null)) {
            problems.add("identity: certificate, key and ca are all needed");
        }
        Multicast m = multicast == null ? new Multicast(null, null) : multicast;
        if (m.intervalSeconds() < 2 || m.intervalSeconds() > 3600) {
            problems.add("multicast.queryIntervalSeconds: 2 to 3600 (got " + m.intervalSeconds() + ")");
        }
        String controllerAddress = controller == null ? "127.0.0.1:6653" : controller;
        checkController(controllerAddress, problems);
        int beforeDhcp = problems.size();
        Dhcp d = dhcp == null ? null : dhcp.checked(problems);
        boolean dhcpOk = problems.size() == beforeDhcp;
        Nat n = (nat == null ? new Nat(null, null, null) : nat).checked(problems);
        Switching sw = (switching == null ? new Switching(null, null, null, null) : switching).checked(problems);
        TunnelConfig tu = (tunnel == null ? TunnelConfig.split() : tunnel).checked(d, dhcpOk, problems);
        GatewayConfig gw = (gateway == null ? GatewayConfig.off() : gateway).checked(tu.vpnSubnet(), tu.vpnPrefix6(),
                dhcpOk ? d : null, RESOLV_CONF, problems);
        if (gw.on() && tu.full()) {
            problems.add("gateway.enabled and tunnel.mode full: a gateway is the way out, it does not tunnel to another gateway");
        }
        DnsConfig names = (dns == null ? new DnsConfig(null) : dns).checked(problems);
        if (renewal != null) {
            if (renewal.server() == null || !renewal.server().startsWith("https://")) {
                problems.add("renewal.server: an https:// address (got " + renewal.server() + ")");
            }
            if (renewal.serverSha256() == null || !renewal.serverSha256().matches("[0-9a-f]{64}")) {
                problems.add("renewal.serverSha256: 64 lower-case hex digits (got " + renewal.serverSha256() + ")");
            }
            if (identity == null) {
                problems.add("renewal: needs an identity to renew");
            }
        }
        if (revocation != null) {
            if (revocation.server() != null && !revocation.server().startsWith("https://")) {
                problems.add("revocation.server: an https:// address (got " + revocation.server() + ")");
            }
            if (revocation.serverSha256() != null && !revocation.serverSha256().matches("[0-9a-f]{64}")) {
                problems.add("revocation.serverSha256: 64 lower-case hex digits (got " + revocation.serverSha256() + ")");
            }
            if (revocation.intervalSeconds() != null && (revocation.intervalSeconds() < 1 || revocation.intervalSeconds() > 86_400)) {
                problems.add("revocation.intervalSeconds: 1 to 86400 (got " + revocation.intervalSeconds() + ")");
            }
            if (identity == null) {
                problems.add("revocation: needs an identity (a group with a CA)");
            }
        }
        PublicRingConfig pub = publicRing == null ? null : publicRing.checked(identity, problems);
        if (pub != null && pub.listen() != null && pub.listen().equals(listen)) {
            problems.add("public.listen: the public ring needs its own address, not the private ring's " + listen);
        }
        Operator op = operatorOrDefault().checked(problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(where + ": " + String.join("; ", problems));
        }
        return new NodeConfig(name, listen, List.copyOf(peerList), new Ring(shortcuts), underlay, new Tap(t.name(), mtu, t.offloadsOn()),
                new Bridge(bridge.name(), bridge.ovsdb() == null ? "" : bridge.ovsdb()), controllerAddress, statusFile, identity, d,
                new Multicast(m.querierOn(), m.intervalSeconds()), sw, n, gw, tu, names, renewal, revocation, pub, op);
    }

    /** Where a gateway's resolver comes from when none is configured. */
    private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    /** Whether {@code name} may name a Linux interface or an OVS port: 1 to 15 of A-Z a-z 0-9 . _ -. */
    static boolean interfaceName(String name) {
        return name != null && name.matches("[A-Za-z0-9._-]{1,15}");
    }

    public InetSocketAddress listenAddress() {
        return Endpoints.parse(listen);
    }

    /**
     * Where the controller listens: a Unix domain socket for {@code unix:PATH}, else a TCP address
     * ({@code tcp:HOST:PORT} or {@code HOST:PORT}), which {@link #checked} allows on loopback only.
     */
    public java.net.SocketAddress controllerAddress() {
        if (controller.startsWith("unix:")) {
            return new io.netty.channel.unix.DomainSocketAddress(controller.substring("unix:".length()));
        }
        return Endpoints.parse(controller.startsWith("tcp:") ? controller.substring("tcp:".length()) : controller);
    }

    /**
     * A Unix socket with an absolute path, or a loopback TCP address: any host or namespace that
     * reaches another address could connect first and take the bridge while the node restarts.
     */
    private static void checkController(String value, List<String> problems) {
        if (value.startsWith("unix:")) {
            String path = value.substring("unix:".length());
            if (!path.startsWith("/") || path.length() > 107) {
                problems.add("controller: unix:PATH needs an absolute path of at most 107 bytes (got " + value + ")");
            }
            return;
        }
        String tcp = value.startsWith("tcp:") ? value.substring("tcp:".length()) : value;
        try {
            InetSocketAddress a = Endpoints.parse(tcp);
            if (a.getAddress() == null || !a.getAddress().isLoopbackAddress()) {
                problems.add("controller: " + value + " is not a loopback address: whoever reaches it could take the bridge;"
                        + " use unix:/PATH or tcp:127.0.0.1:PORT");
            }
        } catch (RuntimeException e) {
            problems.add("controller: " + e.getMessage());
        }
    }

    public List<InetSocketAddress> bootstrapAddresses() {
        return bootstrap.stream().map(Endpoints::parse).toList();
    }

    /** The ring settings, defaults filled in. */
    public RingConfig ringConfig() {
        return RingConfig.defaults().withShortcuts(ring.shortcuts()).withNat(
                nat != null && nat.byStability() ? RingConfig.RelayChoice.STABILITY : RingConfig.RelayChoice.LATENCY,
                nat == null || nat.tcp() == null || nat.tcp());
    }

    private static void tryEndpoint(String field, String value, List<String> problems) {
        try {
            Endpoints.parse(value);
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
        }
    }

    /** A configuration that cannot be used, with the reason. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }
}
