package io.ringswitch.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The router namespace in front of a site whose edge is not open, and the nftables ruleset that
 * makes it the NAT or firewall of its {@link SiteEdge}. Verified by hand with UDP through each kind
 * (the report of #10 has the runs): port-preserving keeps source port 5800 towards every peer;
 * random gives every destination its own random port; udp-blocked passes ICMP and TCP but no UDP;
 * firewalled keeps the site's address; all of them let in only replies to the exact 5-tuple the
 * site sent to (a hole punch works only when both sides send).
 *
 * <pre>
 * rs-NAME-wan: br0 -- sS ==veth== wan0 [rs-NAME-rS] lan0 ==veth== wan0 [rs-NAME-sS]
 * NAT kinds:   router wan0 10.99.0.S/24, lan0 172.16.S.1/24; site wan0 172.16.S.2/24, default via 172.16.S.1
 * firewalled:  router wan0 10.99.0.(100+S)/32 with proxy ARP, routes 10.99.0.S/32 via lan0 and
 *              10.99.0.0/24 via wan0; site wan0 10.99.0.S/24 as an open site has it
 * </pre>
 */
public final class EdgeRouter {
    private static final Duration CMD = Duration.ofSeconds(30);

    private EdgeRouter() {
    }

    /**
     * Sets up the router of {@code site} between {@code wanPort} (already on the underlay bridge,
     * its far end {@code wan0} in the router namespace, which exists) and the site namespace.
     */
    static void build(LabSpec spec, int site) throws IOException {
        SiteEdge edge = spec.edge(site);
        String router = spec.routerNamespace(site);
        String siteNs = spec.siteNamespace(site);
        String mtu = Integer.toString(spec.underlayMtu());
        sh("ip", "link", "add", "lan0", "netns", router, "mtu", mtu, "type", "veth",
                "peer", "name", "wan0", "netns", siteNs, "mtu", mtu);
        sh("ip", "netns", "exec", router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        if (edge.translated()) {
            sh("ip", "-n", router, "addr", "add", spec.siteUnderlayIp(site) + "/24", "dev", "wan0");
            sh("ip", "-n", router, "addr", "add", spec.natGatewayIp(site) + "/24", "dev", "lan0");
            up(router);
            sh("ip", "-n", siteNs, "addr", "add", spec.siteListenIp(site) + "/24", "dev", "wan0");
            sh("ip", "-n", siteNs, "link", "set", "wan0", "up");
            sh("ip", "-n", siteNs, "route", "add", "default", "via", spec.natGatewayIp(site));
        } else {
            // The site keeps its underlay address; the router answers ARP for it on the underlay
            // and for the underlay on the site's side, and routes between them.
            sh("ip", "-n", router, "addr", "add", "10.99.0." + (100 + site) + "/32", "dev", "wan0");
            up(router);
            sh("ip", "-n", router, "route", "add", spec.siteUnderlayIp(site) + "/32", "dev", "lan0");
            sh("ip", "-n", router, "route", "add", "10.99.0.0/24", "dev", "wan0");
            sh("ip", "netns", "exec", router, "sysctl", "-qw", "net.ipv4.conf.all.proxy_arp=1");
            sh("ip", "-n", siteNs, "addr", "add", spec.siteUnderlayIp(site) + "/24", "dev", "wan0");
            sh("ip", "-n", siteNs, "link", "set", "wan0", "up");
        }
        load(router, ruleset(edge));
    }

    /**
     * Replaces the ruleset of a site's router with that of another NAT kind (a NAT that changes its
     * behaviour, e.g. a random-port NAT that starts keeping ports); the addresses stay as they are,
     * so only NAT kinds can swap among themselves. Existing mappings live on until they expire.
     */
    static void change(LabSpec spec, int site, SiteEdge to) throws IOException {
        if (!spec.edge(site).translated() || !to.translated()) {
            throw new IllegalArgumentException("site " + site + " is " + spec.edge(site) + ": only NAT kinds (port-preserving, "
                    + "random, udp-blocked) can change into each other, not into " + to);
        }
        sh("ip", "netns", "exec", spec.routerNamespace(site), "nft", "delete", "table", "ip", "rs");
        load(spec.routerNamespace(site), ruleset(to));
        // As a router restarted with the new rules: mappings made under the old ones go. A rule
        // change alone leaves them (conntrack keeps every flow that still sees packets), and a
        // flow's mapping is fixed when the flow is made.
        sh("ip", "netns", "exec", spec.routerNamespace(site), "conntrack", "-F");
    }

    /**
     * The router's ruleset. Inbound packets that open a new flow to the router itself are dropped
     * in {@code input} before conntrack confirms them: otherwise an unsolicited datagram to the
     * router's 10.99.0.S:5800 creates an entry that holds port 5800, and the site's own flows are
     * then masqueraded to another port, breaking port preservation exactly when a punch needs it
     * (seen by hand: port 6000 became 40695 without the rule, stayed 5900 with it).
     */
    static String ruleset(SiteEdge edge) {
        List<String> lines = new ArrayList<>();
        lines.add("table ip rs {");
        lines.add("  chain input {");
        lines.add("    type filter hook input priority 0; policy accept;");
        lines.add("    iifname \"wan0\" ct state new drop");
        lines.add("  }");
        lines.add("  chain forward {");
        lines.add("    type filter hook forward priority 0; policy drop;");
        if (edge == SiteEdge.UDP_BLOCKED) {
            lines.add("    meta l4proto udp drop");
        }
        lines.add("    ct state established,related accept");
        lines.add("    iifname \"lan0\" oifname \"wan0\" accept");
        lines.add("  }");
        if (edge.translated()) {
            lines.add("  chain post {");
            lines.add("    type nat hook postrouting priority srcnat; policy accept;");
            lines.add("    oifname \"wan0\" masquerade" + (edge == SiteEdge.RANDOM ? " random,fully-random" : ""));
            lines.add("  }");
        }
        lines.add("}");
        return String.join("\n", lines) + "\n";
    }

    /**
     * One flow through a router, from its conntrack table ({@code /proc/net/nf_conntrack} in the
     * router namespace): the source the site used, where to, and the source the other side sees.
     *
     * @param protocol      {@code udp}, {@code tcp}, ...
     * @param privateSource the site's address and port
     * @param destination   the peer's address and port
     * @param publicSource  the address and port the peer sees (the reply's destination)
     * @param replied       whether anything came back
     */
    public record Mapping(String protocol, String privateSource, String destination, String publicSource, boolean replied) {
        /** Whether the NAT kept the site's source port. */
        public boolean portKept() {
            return port(privateSource).equals(port(publicSource));
        }

        private static String port(String endpoint) {
            return endpoint.substring(endpoint.lastIndexOf(':') + 1);
        }
    }

    /** The router's flows that the site started (its listen address is their source). */
    static List<Mapping> mappings(LabSpec spec, int site) throws IOException {
        if (!spec.edge(site).routed()) {
            return List.of();
        }
        String router = spec.routerNamespace(site);
        Shell.Result table = Shell.run(CMD, Shell.inNetns(router, "cat", "/proc/net/nf_conntrack"));
        if (!table.ok() && Preflight.onPath("conntrack")) {
            table = Shell.run(CMD, Shell.inNetns(router, "conntrack", "-L"));
        }
        if (!table.ok()) {
            throw new IOException("the conntrack table of " + router + " is not readable (/proc/net/nf_conntrack needs a kernel "
                    + "with CONFIG_NF_CONNTRACK_PROCFS; else install the conntrack tool): " + table.output().trim());
        }
        String out = table.output();
        List<Mapping> mappings = new ArrayList<>();
        for (String line : out.split("\n")) {
            Mapping m = parse(line);
            if (m != null && m.privateSource().startsWith(spec.siteListenIp(site) + ":")) {
                mappings.add(m);
            }
        }
        return mappings;
    }

    /**
     * One line of {@code /proc/net/nf_conntrack} ({@code ipv4 2 udp 17 21 src=A dst=B sport=P dport=Q
     * [UNREPLIED] src=B dst=C sport=Q dport=R ...}, the original direction first, then the reply's)
     * or of {@code conntrack -L} (the same without the leading {@code ipv4 2}); null for lines
     * without ports (ICMP) or that do not read.
     */
    static Mapping parse(String line) {
        String[] f = line.trim().split("\\s+");
        String protocol = null;
        for (String field : f) {
            if (field.matches("[a-z]+[0-9]*") && !field.equals("ipv4") && !field.equals("ipv6")) {
                protocol = field;
                break;
            }
        }
        if (protocol == null) {
            return null;
        }
        List<String> src = new ArrayList<>();
        List<String> dst = new ArrayList<>();
        List<String> sport = new ArrayList<>();
        List<String> dport = new ArrayList<>();
        for (String field : f) {
            if (field.startsWith("src=")) {
                src.add(field.substring(4));
            } else if (field.startsWith("dst=")) {
                dst.add(field.substring(4));
            } else if (field.startsWith("sport=")) {
                sport.add(field.substring(6));
            } else if (field.startsWith("dport=")) {
                dport.add(field.substring(6));
            }
        }
        if (src.size() != 2 || dst.size() != 2 || sport.size() != 2 || dport.size() != 2) {
            return null;
        }
        return new Mapping(protocol, src.get(0) + ":" + sport.get(0), dst.get(0) + ":" + dport.get(0),
                dst.get(1) + ":" + dport.get(1), !line.contains("[UNREPLIED]"));
    }

    private static void up(String router) throws IOException {
        sh("ip", "-n", router, "link", "set", "wan0", "up");
        sh("ip", "-n", router, "link", "set", "lan0", "up");
    }

    private static void load(String router, String rules) throws IOException {
        Process p = new ProcessBuilder("ip", "netns", "exec", router, "nft", "-f", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(rules.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(CMD.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("nft -f - in " + router + " failed: " + out.trim() + "\nruleset:\n" + rules);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while loading the ruleset of " + router, e);
        }
    }

    private static void sh(String... command) throws IOException {
        Shell.run(CMD, command).orThrow();
    }
}
