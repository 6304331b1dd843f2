package io.ringswitch.overlay.api;

import io.ringswitch.overlay.ring.RingConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks a {@link NodeConfig} as read and fills in its defaults: every problem is noted with the
 * field's YAML path, the value and what a valid one looks like, so that the operator sees all of
 * them in one message. Sections check themselves ({@code DhcpConfig.checked} and its siblings);
 * this class checks the top-level fields and what involves more than one section.
 */
final class NodeConfigChecks {
    /** Where a gateway's resolver comes from when none is configured. */
    private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    private static final String ENDPOINT = "HOST:PORT with a numeric address, e.g. 192.0.2.2:5800";

    private NodeConfigChecks() {
    }

    /** The config with defaults filled in; what is wrong goes to {@code problems} (the result is then not to be used). */
    static NodeConfig checked(NodeConfig c, ConfigProblems problems) {
        if (c.name() == null || !c.name().matches("[A-Za-z0-9._-]{1,64}")) {
            problems.add("name", c.name(), "1 to 64 of A-Z a-z 0-9 . _ -, e.g. site1");
        }
        endpoint("listen", c.listen(), problems);
        List<String> peers = c.bootstrap() == null ? List.of() : List.copyOf(c.bootstrap());
        for (int i = 0; i < peers.size(); i++) {
            endpoint("bootstrap[" + i + "]", peers.get(i), problems);
        }
        NodeConfig.Ring ring = c.ring();
        int shortcuts = ring == null || ring.shortcuts() == null ? RingConfig.defaults().shortcuts() : ring.shortcuts();
        if (shortcuts < 0 || shortcuts > 16) {
            problems.add("ring.shortcuts", shortcuts, "0 to 16");
        }
        int underlay = c.underlayMtu() == null ? 1500 : c.underlayMtu();
        if (underlay < 576 || underlay > 65535) {
            problems.add("underlayMtu", underlay, "576 to 65535");
        }
        NodeConfig.Tap tap = tap(c.tap(), underlay, problems);
        NodeConfig.Bridge bridge = c.bridge();
        if (bridge == null || bridge.name() == null || bridge.name().isEmpty()) {
            problems.add("bridge.name", bridge == null ? null : bridge.name(), "the OVS bridge the overlay port joins, e.g. br0");
        }
        NodeConfig.Identity identity = c.identity();
        if (identity != null) {
            required("identity.certificate", identity.certificate(), "the node's certificate, a PEM file", problems);
            required("identity.key", identity.key(), "the node's private key, a PEM file", problems);
            required("identity.ca", identity.ca(), "the group CA's certificate, a PEM file", problems);
        }
        NodeConfig.Multicast m = c.multicast() == null ? new NodeConfig.Multicast(null, null) : c.multicast();
        if (m.intervalSeconds() < 2 || m.intervalSeconds() > 3600) {
            problems.add("multicast.queryIntervalSeconds", m.intervalSeconds(), "2 to 3600 seconds");
        }
        String controller = c.controller() == null ? "127.0.0.1:6653" : c.controller();
        controller(controller, problems);
        int beforeDhcp = problems.size();
        DhcpConfig dhcp = c.dhcp() == null ? null : c.dhcp().checked(problems);
        boolean dhcpOk = problems.size() == beforeDhcp;
        NatConfig nat = (c.nat() == null ? new NatConfig(null, null, null) : c.nat()).checked(problems);
        SwitchingConfig sw = (c.switching() == null ? new SwitchingConfig(null, null, null, null) : c.switching()).checked(problems);
        TunnelConfig tunnel = (c.tunnel() == null ? TunnelConfig.split() : c.tunnel()).checked(dhcp, dhcpOk, problems);
        GatewayConfig gw = (c.gateway() == null ? GatewayConfig.off() : c.gateway()).checked(tunnel.vpnSubnet(),
                tunnel.vpnPrefix6(), dhcpOk ? dhcp : null, RESOLV_CONF, problems);
        if (gw.on() && tunnel.full()) {
            problems.add("gateway.enabled", true, "a gateway is the way out and does not tunnel to another gateway:"
                    + " leave out gateway.enabled or set tunnel.mode: split");
        }
        DnsConfig names = (c.dns() == null ? new DnsConfig(null) : c.dns()).checked(problems);
        renewal(c.renewal(), identity != null, problems);
        if (c.revocation() != null) {
            c.revocation().check(identity != null, problems);
        }
        PublicRingConfig pub = c.publicRing() == null ? null : c.publicRing().checked(identity, problems);
        if (pub != null && pub.listen() != null && pub.listen().equals(c.listen())) {
            problems.add("public.listen", pub.listen(), "an address of the public ring's own, not the private ring's listen");
        }
        String control = c.controlSocket() == null ? "/run/ringswitch/" + c.name() + ".sock" : c.controlSocket();
        if (!control.startsWith("/") || control.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
            problems.add("controlSocket", control, "an absolute path of at most 107 bytes (a Unix socket's limit),"
                    + " e.g. /run/ringswitch/" + c.name() + ".sock");
        }
        NodeConfig.Operator operator = c.operatorOrDefault();
        if (operator.on()) {
            endpoint("operator.listen", operator.listen(), problems);
        }
        if (!problems.isEmpty()) {
            return c;
        }
        return new NodeConfig(c.name(), c.listen(), peers, new NodeConfig.Ring(shortcuts), underlay, tap,
                new NodeConfig.Bridge(bridge.name(), bridge.ovsdb() == null ? "" : bridge.ovsdb()), controller, c.statusFile(),
                identity, dhcp, new NodeConfig.Multicast(m.querierOn(), m.intervalSeconds()), sw, nat, gw, tunnel, names,
                c.renewal(), c.revocation(), pub, control, operator);
    }

    private static NodeConfig.Tap tap(NodeConfig.Tap configured, int underlay, ConfigProblems problems) {
        NodeConfig.Tap t = configured == null ? new NodeConfig.Tap("rs0", null, null) : configured;
        int mtu = t.mtu() == null ? Math.min(NodeConfig.DEFAULT_MTU, underlay - NodeConfig.OVERHEAD) : t.mtu();
        if (t.name() == null || t.name().isEmpty() || t.name().length() > 15) {
            problems.add("tap.name", t.name(), "1 to 15 characters, e.g. rs0");
        }
        if (mtu < 576 || mtu + NodeConfig.OVERHEAD > underlay) {
            problems.add("tap.mtu", mtu, "576 to " + (underlay - NodeConfig.OVERHEAD) + ": the " + NodeConfig.OVERHEAD
                    + " bytes of encapsulation must fit under underlayMtu " + underlay);
        }
        int busyPoll = t.busyPollOrOff();
        if (busyPoll < 0 || busyPoll > NodeConfig.Tap.MAX_BUSY_POLL_MICROS) {
            problems.add("tap.busyPollMicros", busyPoll, "0 (off) to " + NodeConfig.Tap.MAX_BUSY_POLL_MICROS
                    + " microseconds, e.g. 500");
        }
        return new NodeConfig.Tap(t.name(), mtu, t.offloadsOn(), busyPoll);
    }

    private static void renewal(NodeConfig.Renewal renewal, boolean hasIdentity, ConfigProblems problems) {
        if (renewal == null) {
            return;
        }
        if (renewal.server() == null || !renewal.server().startsWith("https://")) {
            problems.add("renewal.server", renewal.server(), "an https:// address such as https://198.51.100.7:8443");
        }
        if (renewal.serverSha256() == null || !renewal.serverSha256().matches("[0-9a-f]{64}")) {
            problems.add("renewal.serverSha256", renewal.serverSha256(), "64 lower-case hex digits (the server certificate's SHA-256)");
        }
        if (!hasIdentity) {
            problems.add("renewal", "a renewal section without identity",
                    "add identity: {certificate, key, ca} (the certificate to renew), or leave renewal out");
        }
    }

    private static void required(String field, String value, String fix, ConfigProblems problems) {
        if (value == null || value.isEmpty()) {
            problems.add(field, value, fix);
        }
    }

    private static void endpoint(String field, String value, ConfigProblems problems) {
        try {
            Endpoints.parse(value);
        } catch (IllegalArgumentException e) {
            problems.add(field, value, ENDPOINT + " (" + e.getMessage() + ")");
        }
    }

    /**
     * A Unix socket with an absolute path, or a loopback TCP address: any host or namespace that
     * reaches another address could connect first and take the bridge while the node restarts.
     */
    private static void controller(String value, ConfigProblems problems) {
        if (value.startsWith("unix:")) {
            String path = value.substring("unix:".length());
            if (!path.startsWith("/") || path.length() > 107) {
                problems.add("controller", value, "unix:PATH with an absolute path of at most 107 bytes");
            }
            return;
        }
        String tcp = value.startsWith("tcp:") ? value.substring("tcp:".length()) : value;
        try {
            InetSocketAddress a = Endpoints.parse(tcp);
            if (a.getAddress() == null || !a.getAddress().isLoopbackAddress()) {
                problems.add("controller", value, "unix:/PATH or tcp:127.0.0.1:PORT: whoever reaches a non-loopback address"
                        + " could take the bridge");
            }
        } catch (RuntimeException e) {
            problems.add("controller", value, "unix:/PATH or tcp:127.0.0.1:PORT (" + e.getMessage() + ")");
        }
    }
}
