package io.ringswitch.overlay.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A node's configuration, read from YAML by {@link ConfigReader} (unknown keys are errors: a typo
 * must not be ignored) and checked by {@link NodeConfigChecks}, which fills in the defaults. Every
 * field says what it is in its {@link Doc}, from which {@code docs/config.md} is generated.
 *
 * <p>To add a field: add a component here with its {@code @Doc} (a section is a record of its own
 * in this package, with {@code @Doc} on its components and a {@code checked(ConfigProblems)}
 * method), check it and pass it on in {@link NodeConfigChecks#checked}, and regenerate the
 * reference ({@code ringswitch config reference > docs/config.md}).
 *
 * <pre>
 * name: site1
 * listen: 0.0.0.0:5800
 * bootstrap: [192.0.2.2:5800]
 * bridge: {name: br0}
 * dhcp: {subnet: 10.77.0.0/16, pool: 10.77.200.1-10.77.239.254}
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record NodeConfig(
        @Doc(value = "The site's name, shown in status and sent to peers: 1 to 64 of A-Z a-z 0-9 . _ -.", example = "site1")
        String name,
        @Doc(value = "The UDP address the overlay listens on (HOST:PORT, numeric).", example = "0.0.0.0:5800") String listen,
        @Doc(value = "Nodes to join the ring through (HOST:PORT each).", byDefault = "none: start a new ring",
                example = "[192.0.2.2:5800]") List<String> bootstrap,
        @Doc("Ring settings.") Ring ring,
        @Doc(value = "The MTU of the path between sites (576 to 65535); the overlay port's MTU must leave room for"
                + " the encapsulation under it.", byDefault = "1500", example = "1400") Integer underlayMtu,
        @Doc("The overlay port, a TAP device the node adds to the bridge.") Tap tap,
        @Doc("The OVS bridge the overlay port joins.") Bridge bridge,
        @Doc(value = "Where the node's OpenFlow controller listens for the bridge: unix:/ABSOLUTE/PATH, or tcp:HOST:PORT"
                + " on loopback only (whoever reaches it could take the bridge).", byDefault = "127.0.0.1:6653",
                example = "unix:/run/ringswitch/site1/openflow.sock") String controller,
        @Doc(value = "Where the node writes its status as JSON.", byDefault = "none written",
                example = "/run/ringswitch/site1.json") String statusFile,
        @Doc("The node's certificate, key and the group's CA (PEM files from ringswitch ca or ringswitch enrol); the ring"
                + " address is then the certificate key's (without it: SHA-1 of the name, no security).") Identity identity,
        @Doc("DHCP for the site's hosts, with leases shared by all sites through the DHT; absent: no DHCP.") DhcpConfig dhcp,
        @Doc("IGMP/MLD snooping and the querier.") Multicast multicast,
        @Doc("Port security and storm control on the bridge.") SwitchingConfig switching,
        @Doc("NAT traversal: keepalives, relays, TCP links.") NatConfig nat,
        @Doc("This site as a gateway of the full tunnel (issue 17).") GatewayConfig gateway,
        @Doc("Split (default) or full tunnel.") TunnelConfig tunnel,
        @Doc("The group's host names, HOST.DOMAIN, answered from the DHT.") DnsConfig dns,
        @Doc("Renewal of the node's short-lived certificate through the group server (written by ringswitch enrol).")
        Renewal renewal,
        @Doc("Where the group's CRL is fetched and how often; without it, the renewal server's CRL is fetched.")
        RevocationConfig revocation,
        @Doc("A private overlay: this ring is the group's own, found through a public ring's DHT (issue 19).")
        @JsonProperty("public") PublicRingConfig publicRing,
        @Doc(value = "The control socket that ringswitch status and ringswitch ping ask through: an absolute path of at"
                + " most 107 bytes; root only (the node makes its directory 0700 and the socket 0600).",
                byDefault = "/run/ringswitch/NAME.sock", example = "/run/ringswitch/site1.sock") String controlSocket,
        @Doc("The operator's HTTP endpoint: Prometheus metrics at /metrics and the live dashboard at / (issue 20).")
        Operator operator) {

    /**
     * The operator's HTTP endpoint: Prometheus metrics at {@code /metrics} and the dashboard (issue
     * 20). Loopback by default ({@value #DEFAULT_LISTEN}); {@code listen: off} turns it off. A node
     * that cannot bind it logs why and runs without it.
     */
    public record Operator(
            @Doc(value = "HOST:PORT (numeric) the endpoint listens on, or off. Keep it on loopback: the page has no login.",
                    byDefault = "127.0.0.1:9464", example = "10.99.0.1:9464") String listen) {
        public static final String DEFAULT_LISTEN = "127.0.0.1:9464";

        /** Whether the endpoint is served. */
        public boolean on() {
            return listen != null && !listen.equals("off");
        }
    }

    /** The operator's endpoint as configured, the default when the config has no {@code operator:} section. */
    public Operator operatorOrDefault() {
        return operator == null ? new Operator(Operator.DEFAULT_LISTEN) : operator;
    }

    /** Default seconds between two fetches of the group's CRL. */
    public static final int CRL_INTERVAL_SECONDS = RevocationConfig.DEFAULT_INTERVAL_SECONDS;

    /**
     * Bytes a frame gains on the underlay: IPv4 20, UDP 8, envelope 8, record header 12 and tag 16,
     * routed ring header {@value RingMessageCodec#ROUTED_HEADER}, Ethernet 14, one VLAN tag 4.
     */
    public static final int OVERHEAD = 20 + 8 + 8 + 12 + 16 + RingMessageCodec.ROUTED_HEADER + 14 + 4;

    /** The overlay port's MTU unless configured: room for the ring header under a 1500-byte underlay. */
    public static final int DEFAULT_MTU = 1360;

    /** Ring settings. */
    public record Ring(
            @Doc(value = "Symphony shortcuts per node (0 to 16).", byDefault = "4", example = "6") Integer shortcuts) {
    }

    /** The overlay port; {@code offloads} is true unless turned off, {@code busyPollMicros} 0 (off) unless set. */
    public record Tap(
            @Doc(value = "The TAP device's name, 1 to 15 characters.", byDefault = "rs0", example = "rs0") String name,
            @Doc(value = "The overlay port's MTU; at most underlayMtu less " + OVERHEAD + " bytes of encapsulation.",
                    byDefault = "1360, or less to fit underlayMtu", example = "1380") Integer mtu,
            @Doc(value = "TSO super-frames and checksums left to the node (IFF_VNET_HDR); false: frame by frame.",
                    byDefault = "true", example = "false") Boolean offloads,
            @Doc(value = "Microseconds (1 to " + MAX_BUSY_POLL_MICROS + ") the event loop keeps polling after each"
                    + " wake-up before it sleeps: lower latency for a core kept busy that long; 0: off.",
                    byDefault = "0", example = "500") Integer busyPollMicros) {
        /** The longest busy-poll window: what a task handed to the event loop may wait. */
        public static final int MAX_BUSY_POLL_MICROS = 1000;

        /** Without busy polling. */
        public Tap(String name, Integer mtu, Boolean offloads) {
            this(name, mtu, offloads, null);
        }

        public boolean offloadsOn() {
            return offloads == null || offloads;
        }

        /** The busy-poll window in microseconds, 0 when off. */
        public int busyPollOrOff() {
            return busyPollMicros == null ? 0 : busyPollMicros;
        }
    }

    /** The node's certificate, key and the group's CA certificate (PEM files, from {@code ringswitch ca}). */
    public record Identity(
            @Doc(value = "The node's certificate (PEM).", example = "site1.crt") String certificate,
            @Doc(value = "The node's private key (PEM).", example = "site1.key") String key,
            @Doc(value = "The group CA's certificate (PEM).", example = "ca.crt") String ca) {
    }

    /**
     * Multicast: whether the node queries its LAN for members when no other querier is heard, and
     * how often (RFC 3376 §8.2: 125 s unless set).
     */
    public record Multicast(
            @Doc(value = "Whether the node queries its LAN for group members when no other querier is heard.",
                    byDefault = "true", example = "false") Boolean querier,
            @Doc(value = "Seconds between queries, 2 to 3600 (RFC 3376 §8.2).", byDefault = "125", example = "60")
            Integer queryIntervalSeconds) {
        public boolean querierOn() {
            return querier == null || querier;
        }

        public int intervalSeconds() {
            return queryIntervalSeconds == null ? 125 : queryIntervalSeconds;
        }
    }

    /** The OVS bridge the overlay port joins; {@code ovsdb} is empty for the system's default database. */
    public record Bridge(
            @Doc(value = "The bridge's name.", example = "br0") String name,
            @Doc(value = "The OVSDB the bridge lives in.", byDefault = "the system's default database",
                    example = "unix:/var/run/openvswitch/db.sock") String ovsdb) {
    }

    /**
     * Where the node renews its short-lived certificate: the group server's HTTPS address and the
     * SHA-256 fingerprint (64 hex digits) of its TLS certificate, which the node pins.
     */
    public record Renewal(
            @Doc(value = "The group server's HTTPS address.", example = "https://198.51.100.7:8443") String server,
            @Doc(value = "The SHA-256 fingerprint of the server's TLS certificate (64 lower-case hex digits), pinned.",
                    example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") String serverSha256) {
    }

    /** Reads and checks a config file; the exception names every field that is wrong, its value and the fix. */
    public static NodeConfig load(Path file) throws ConfigException {
        return ConfigReader.load(file);
    }

    /** Fills defaults and checks every field; {@code where} names the config in the exception. */
    public NodeConfig checked(String where) throws ConfigException {
        ConfigProblems problems = new ConfigProblems();
        NodeConfig done = NodeConfigChecks.checked(this, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(where, problems.list());
        }
        return done;
    }

    /** The CRL's source with the defaults filled in; null when neither {@code revocation:} nor {@code renewal:} names a server. */
    public RevocationConfig crlSource() {
        String server = revocation != null && revocation.server() != null ? revocation.server()
                : renewal == null ? null : renewal.server();
        String pin = revocation != null && revocation.serverSha256() != null ? revocation.serverSha256()
                : renewal == null ? null : renewal.serverSha256();
        int every = revocation != null && revocation.intervalSeconds() != null ? revocation.intervalSeconds() : CRL_INTERVAL_SECONDS;
        return server == null ? null : new RevocationConfig(server, pin, every);
    }

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

    public List<InetSocketAddress> bootstrapAddresses() {
        return bootstrap.stream().map(Endpoints::parse).toList();
    }

    /** The ring settings, defaults filled in. */
    public RingConfig ringConfig() {
        return RingConfig.defaults().withShortcuts(ring.shortcuts()).withNat(
                nat != null && nat.byStability() ? RingConfig.RelayChoice.STABILITY : RingConfig.RelayChoice.LATENCY,
                nat == null || nat.tcp() == null || nat.tcp());
    }

    /** A configuration that cannot be used: every problem found, each with its field, value and fix. */
    public static final class ConfigException extends Exception {
        private final transient List<ConfigProblem> problems;

        public ConfigException(String message) {
            super(message);
            this.problems = List.of();
        }

        /** {@code where} (the file) and the problems, one a line. */
        public ConfigException(String where, List<ConfigProblem> problems) {
            super(where + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "\n  "
                    + String.join("\n  ", problems.stream().map(ConfigProblem::toString).toList()));
            this.problems = List.copyOf(problems);
        }

        /** The problems one by one; empty when the file could not be read at all. */
        public List<ConfigProblem> problems() {
            return problems;
        }
    }
}
