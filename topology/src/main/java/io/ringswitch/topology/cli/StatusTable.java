package io.ringswitch.topology.cli;

import io.ringswitch.overlay.api.GatewayStatus;
import io.ringswitch.overlay.api.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a node's status into the table of {@code ringswitch status} and {@code lab status}, in the
 * manner of {@code wg show} and {@code tailscale status}: a head of lines on the node (ring
 * address, group, certificate, neighbours, shortcuts, relays, DHT, leases, multicast, gateways, the
 * bridge), then one row per link with its path, claims, RTT, age, and traffic each way.
 */
final class StatusTable {
    /** No names known: peers are shown by the first 8 digits of their address. */
    static final Function<String, String> NO_NAMES = address -> null;

    private StatusTable() {
    }

    /** The table; {@code names} gives a peer's site name by its ring address (null when unknown). */
    static String render(NodeStatus st, Function<String, String> names) {
        StringBuilder out = new StringBuilder();
        String group = st.security() == null || st.security().group().isEmpty() ? "none (plaintext links)" : st.security().group();
        line(out, "node", st.name() + "  ring " + st.address() + "  " + (st.connected() ? "joined" : "NOT JOINED"));
        line(out, "group", group);
        NodeStatus.CertificateStatus c = st.certificate();
        line(out, "certificate", c == null ? "none" : c.state() + ", expires " + c.notAfter() + " (in " + duration(c.expiresInSeconds())
                + ")" + (c.nextRenewal() == null ? "" : ", renewal due " + c.nextRenewal()));
        line(out, "neighbours", "left " + peers(st.left(), names) + "  right " + peers(st.right(), names));
        List<String> near = new ArrayList<>();
        List<String> shortcuts = new ArrayList<>();
        List<String> relayed = new ArrayList<>();
        for (NodeStatus.LinkStatus l : st.links()) {
            if (l.claims().contains("near")) {
                near.add(peer(l.address(), names));
            }
            if (l.claims().contains("shortcut")) {
                shortcuts.add(peer(l.address(), names));
            }
            if ("relay".equals(l.kind())) {
                relayed.add(peer(l.address(), names) + " via " + peer(via(l.path()), names));
            }
        }
        line(out, "near", near.size() + (near.isEmpty() ? "" : "  " + String.join(" ", near)));
        line(out, "shortcuts", shortcuts.size() + (shortcuts.isEmpty() ? "" : "  " + String.join(" ", shortcuts)));
        long forOthers = st.nat() == null ? 0 : st.nat().relayedForOthers();
        line(out, "relays", (relayed.isEmpty() ? "none" : String.join(", ", relayed)) + "; relayed " + forOthers
                + " records for others");
        NodeStatus.DhtHoldings dht = st.dhtHoldings();
        line(out, "DHT", dht == null ? "unknown" : "holds " + dht.held() + " values under " + dht.keys() + " keys, publishes "
                + dht.published());
        var dhcp = st.controller() == null ? null : st.controller().dhcp();
        line(out, "leases", dhcp == null || !dhcp.enabled() ? "no DHCP" : dhcp.leaseCount() + " (pool " + dhcp.pool() + ")");
        Map<String, Long> sw = st.controller() == null ? Map.of() : st.controller().switchCounters();
        line(out, "multicast", sw.getOrDefault("multicast_groups", 0L) + " groups on the bridge, "
                + (st.multicast() == null ? 0 : st.multicast().groups()) + " sent to over the ring");
        line(out, "gateways", gateways(st.gateway(), names));
        line(out, "bridge", st.controller() == null ? "unknown" : (st.controller().switches().isEmpty() ? "NOT CONNECTED" : "connected")
                + ", " + st.controller().flows() + " flows, " + st.controller().groups() + " groups, "
                + st.controller().meters() + " meters");
        out.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PEER", "PATH", "CLAIMS", "RTT", "AGE", "IN", "OUT"});
        for (NodeStatus.LinkStatus l : st.links()) {
            rows.add(new String[] {peer(l.address(), names), path(l, names), String.join(",", l.claims()),
                    l.rttMillis() < 0 ? "-" : l.rttMillis() + " ms", duration(l.ageSeconds()),
                    bytes(l.bytesIn()) + " / " + l.recordsIn(), bytes(l.bytesOut()) + " / " + l.recordsOut()});
        }
        table(out, rows);
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-12s %s%n", label, value));
    }

    private static void table(StringBuilder out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /** {@code udp 192.0.2.1:5800}, {@code tcp ...}, {@code relay via site2}. */
    static String path(NodeStatus.LinkStatus l, Function<String, String> names) {
        if ("relay".equals(l.kind())) {
            return "relay via " + peer(via(l.path()), names);
        }
        int colon = l.path().indexOf(':');
        return colon < 0 ? l.path() : l.path().substring(0, colon) + " " + l.path().substring(colon + 1);
    }

    /** The relay of a {@code relay:VIA>PEER} path (an address or the start of one). */
    static String via(String path) {
        int colon = path.indexOf(':');
        int arrow = path.indexOf('>');
        return colon < 0 || arrow < colon ? "?" : path.substring(colon + 1, arrow);
    }

    private static String peers(List<String> addresses, Function<String, String> names) {
        return addresses.isEmpty() ? "none" : String.join(" ", addresses.stream().map(a -> peer(a, names)).toList());
    }

    private static String peer(String address, Function<String, String> names) {
        String name = names.apply(address);
        return name != null ? name : address.substring(0, Math.min(8, address.length()));
    }

    private static String gateways(GatewayStatus g, Function<String, String> names) {
        if (g == null) {
            return "none (split tunnel)";
        }
        if ("gateway".equals(g.role())) {
            return "this site is one: " + g.probesAnswered() + " probes answered, " + bytes(g.load()) + "/s";
        }
        return "client of " + (g.chosen() == null ? "NONE" : g.chosen()) + ", " + g.candidates().size() + " candidates, "
                + g.failovers() + " failovers";
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h" + String.format(Locale.ROOT, "%02d", seconds % 3600 / 60) + "m";
        }
        return seconds / 86_400 + "d" + String.format(Locale.ROOT, "%02d", seconds % 86_400 / 3600) + "h";
    }
}
