package io.ringswitch.topology.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.topology.FullTunnelTour;
import io.ringswitch.topology.InsiderTour;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.NatTour;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.PrivateTour;
import io.ringswitch.topology.RevocationTour;
import io.ringswitch.topology.SecurityTour;
import io.ringswitch.topology.SwitchTour;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import io.ringswitch.topology.Tour;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringswitch demo}: a lab, a tour of it, a summary, and (unless --keep) no trace left. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Bring up a lab of sites in network namespaces with real OVS, joined by the ring from one bootstrap address; show traffic crossing it "
                + "(ping, ARP, iperf3), print a summary and tear the lab down.",
                "With --scenario security: 3 sites with valid certificates and 3 with bad ones (another CA, expired, a ring address "
                        + "that is not the key's); shows that the bad ones never link, that no payload crosses the underlay in the "
                        + "clear (tcpdump), and that the valid sites all reach each other; then, in a second lab of 6 valid sites "
                        + "without shortcuts, that the nodes between two sites without a link open none of the frames they "
                        + "route for them (the insider section, with the unit tests that show the other insider attacks); last, in a "
                        + "third lab of 4 sites and a group server, the time from revoking a site to its host's last answered "
                        + "ping, with the server up (CRL) and stopped (ring), the others' pings lost meanwhile, and that the "
                        + "revoked node restarted with its old certificate never links (the revocation section).",
                "With --scenario nat: sites 1-2 open, 3 behind a port-preserving NAT, 4 a random-port NAT, 5 a NAT that drops "
                        + "UDP, 6 a firewall; every pair of hosts pings and the report gives each pair's path (direct UDP, TCP, "
                        + "relay via which site, or ring) and setup time, and each site's public endpoints and mapping.",
                "With --scenario full-tunnel: sites 1-2 gateways, 3 a full-tunnel client, 4 plain, and an internet namespace; "
                        + "the client's host fetches a page by name through a gateway, a capture on its uplink counts leaks "
                        + "for the whole run, the chosen gateway is killed during a transfer (failover time), every gateway "
                        + "goes down and one returns, and throughput through a gateway is set next to the direct uplink.",
                "With --scenario private: the lab of topology/labs/private.yaml, sites 1-2 a public ring, 3-4 group alpha and "
                        + "5-6 group beta, each group with its own CA; the groups' sites are given only the public ring's "
                        + "endpoints, find each other through its DHT and form their own rings. Shows each member's private "
                        + "ring address, its links and the members it found, and a ping matrix: a host reaches its own group's "
                        + "hosts and no other group's or public site's."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--sites", defaultValue = "2", description = "Number of sites (default ${DEFAULT-VALUE}).")
    int sites;

    @Option(names = "--hosts", defaultValue = "1", description = "Hosts per site (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--keep", description = "Leave the lab up afterwards (remove it with: ringswitch lab down --name demo); "
            + "with --scenario security, the second lab (the insider section's, secin); the revocation lab is always removed.")
    boolean keep;

    @Option(names = "--json", description = "Print one JSON object on stdout; progress goes to stderr.")
    boolean json;

    @Option(names = "--scenario", defaultValue = "tour", paramLabel = "NAME",
            description = "tour (default): traffic across the ring; security: bad certificates refused, no plaintext on the "
                    + "underlay; nat: sites behind NATs and firewalls, the path each pair takes; full-tunnel: Internet "
                    + "traffic through gateways by flow rules, leaks, failover; private: two private groups bootstrapped "
                    + "from one public ring (--sites and --hosts do not apply to security, nat, full-tunnel and private).")
    String scenario;

    @Option(names = "--iperf-seconds", defaultValue = "5", description = "Length of the iperf3 run (default ${DEFAULT-VALUE}).")
    int iperfSeconds;

    @Override
    public Integer call() throws Exception {
        Console console = new Console();
        if (scenario.equals("security")) {
            return security(console);
        }
        if (scenario.equals("nat")) {
            return nat(console);
        }
        if (scenario.equals("full-tunnel")) {
            return fullTunnel(console);
        }
        if (scenario.equals("private")) {
            return privateOverlays(console);
        }
        if (!scenario.equals("tour")) {
            console.accept("unknown scenario '" + scenario + "': use tour, security, nat, full-tunnel or private");
            return 2;
        }
        LabSpec spec;
        try {
            spec = new LabSpec("demo", sites, hosts, null, null, null, null, null, null, null, null, null, null, null).checked();
        } catch (IllegalArgumentException e) {
            console.accept("bad arguments: " + e.getMessage());
            return 2;
        }
        console.accept("bringing up " + sites + " sites with " + hosts + " host(s) each (real OVS, real TAP, UDP between sites)");
        Lab lab = upOrExplain(spec, console, () -> Lab.up(spec, Preflight.home(), console));
        if (lab == null) {
            return 1;
        }
        Tour.Report report;
        SwitchTour.Report lan;
        try {
            report = Tour.run(lab, 5, iperfSeconds, console);
            lan = SwitchTour.run(lab, console);
        } finally {
            if (keep) {
                console.accept("lab kept: namespaces " + spec.prefix() + "-*; 'ringswitch lab status --name demo' shows it, "
                        + "'ringswitch lab down --name demo' removes it");
            } else {
                lab.down();
                console.accept("lab removed");
            }
        }
        boolean ok = report.ok() && lan.problems().isEmpty();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>(report.toJson());
            out.put("switch", lan.toJson());
            out.put("ok", ok);
            System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
            System.out.println();
            System.out.println("RingSwitch demo: " + report.sites() + " sites");
            System.out.printf("  ping   %d/%d replies over %d host pairs, average RTT %.3f ms%n",
                    report.ping().received(), report.ping().sent(), report.pairs(), report.ping().rttAvgMs());
            System.out.printf("  ARP    %d/%d addresses resolved to the right MAC across the overlay%n",
                    report.arpResolved(), report.arpChecked());
            System.out.printf("  iperf3 %.1f Mbit/s TCP from site 1 to site 2%n", report.iperfMbps());
            System.out.printf("  ring   crawl consistency %.3f, %.1f links per node, %d messages relayed by intermediate nodes%n",
                    report.crawlConsistency(), report.linksPerNode(), report.ringForwarded());
            System.out.printf("  DHCP   %d hosts leased addresses (%s); a leased address answered %d/%d pings%n",
                    lan.leases().size(), lan.leases().stream().map(l -> l.ip()).collect(Collectors.joining(", ")),
                    lan.leasedPing().received(), lan.leasedPing().sent());
            System.out.printf("  ARP    %d requests answered by responder flows in OVS, %d by the controller, %d flooded "
                            + "(address unknown), %d rate-limited%n", lan.arp().get("answered_in_datapath_total"),
                    lan.arp().get("answered_by_controller_total"), lan.arp().get("flooded_total"),
                    lan.arp().get("rate_limited_total"));
            System.out.printf("  IPv6   ping %s -> %s: %d/%d%n", lan.ipv6From(), lan.ipv6To(), lan.ipv6Ping().received(),
                    lan.ipv6Ping().sent());
            System.out.printf("  MTU    TCP between hosts left at 1500: %.1f Mbit/s (%d packet-too-big answers, %d super-frames re-cut)%n",
                    lan.tcpAt1500Mbps(), lan.tooBigAnswered(), lan.superFramesRecut());
            if (lan.multicast() != null) {
                System.out.printf("  mcast  %s from site 1: %s; frames over the ring at sites without members: %s%n",
                        lan.multicast().group(), lan.multicast().members().stream().map(m -> String.format(
                                "site %d %d/%d (%.1f %% loss)", m.site(), m.received(), m.sent(), m.lossPercent()))
                                .collect(Collectors.joining(", ")), lan.multicast().nonMemberFramesFromRing());
            }
            Map<String, Object> sw = lan.toJson();
            for (String part : List.of("dhcp_privacy", "multicast_pruning", "multicast_20mbit", "spoofing", "storm")) {
                System.out.printf("  %-17s %s%n", part, new ObjectMapper().writeValueAsString(sw.get(part)));
            }
            List<String> problems = new ArrayList<>(report.problems());
            problems.addAll(lan.problems());
            System.out.println(ok ? "  all good" : "  PROBLEMS:\n    " + String.join("\n    ", problems));
        }
        return ok ? 0 : 1;
    }

    /** {@code --scenario nat}: the {@link NatTour}'s lab, its report as a table or JSON, and what to do on failure. */
    private int nat(Console console) throws Exception {
        LabSpec spec = NatTour.spec("nat");
        console.accept("bringing up 6 sites: 1-2 open, 3 " + spec.edge(3) + ", 4 " + spec.edge(4) + ", 5 " + spec.edge(5) + ", 6 "
                + spec.edge(6) + " (each behind a router namespace with nftables)");
        long start = System.nanoTime();
        Lab lab = upOrExplain(spec, console, () -> Lab.up(spec, Preflight.home(), console, Lab.Readiness.RUNNING, NAT_READY));
        if (lab == null) {
            return 1;
        }
        NatTour.Report report;
        try {
            Duration left = NAT_READY.minusNanos(System.nanoTime() - start);
            report = NatTour.run(lab, left.compareTo(NAT_JOIN_AT_LEAST) < 0 ? NAT_JOIN_AT_LEAST : left, console);
        } finally {
            if (keep) {
                console.accept("lab kept: namespaces " + spec.prefix() + "-*; 'ringswitch lab status --name " + spec.name()
                        + "' shows paths; 'ringswitch lab down --name " + spec.name() + "' removes it");
            } else {
                lab.down();
                console.accept("lab removed");
            }
        }
        if (json) {
            System.out.println(report.toJson());
            report.next().forEach(n -> console.accept("next: " + n));
            return report.ok() ? 0 : 1;
        }
        System.out.println();
        System.out.println("RingSwitch NAT demo: sites 1-2 open; 3 " + spec.edge(3) + ", 4 " + spec.edge(4) + ", 5 " + spec.edge(5)
                + ", 6 " + spec.edge(6));
        System.out.printf("  %-5s %-16s %-7s %-8s %-26s %-11s %s%n", "site", "edge", "joined", "join ms", "public endpoints", "mapping",
                "router kept port");
        report.sites().values().forEach(s -> System.out.printf("  %-5d %-16s %-7s %-8s %-26s %-11s %s%n", s.site(), s.edge(),
                s.joined() ? "yes" : "NO", s.joinMs() == null ? "-" : s.joinMs(), s.publicEndpoints(), s.mapping(),
                s.portKept() == null ? "-" : s.portKept()));
        System.out.printf("  %-6s %-11s %-8s %-9s %-9s %-9s %s%n", "pair", "path", "via", "back", "expected", "setup ms", "ping");
        report.pairs().forEach(p -> System.out.printf("  %-6s %-11s %-8s %-9s %-9s %-9s %d/%d%s%n", p.from() + "-" + p.to(), p.path(),
                p.via() == null ? "-" : "site " + p.via(), p.reversePath(), p.expected(), p.setupMs() == null ? "-" : p.setupMs(),
                p.received(), p.sent(), p.rttMsAvg() == null ? "" : String.format(" (%.3f ms)", p.rttMsAvg())));
        System.out.printf("  crawl consistency %.3f over the %d nodes that joined%n", report.crawl(), report.crawlNodes());
        if (report.ok()) {
            System.out.println("  all good" + (report.differences().isEmpty() ? "" : "; paths not yet as expected: " + report.differences()));
        } else {
            System.out.println("  PROBLEMS:");
            report.problems().forEach(p -> System.out.println("    - " + p));
            System.out.println("  what to do next:");
            report.next().forEach(n -> System.out.println("    - " + n));
        }
        return report.ok() ? 0 : 1;
    }

    /** {@code --scenario full-tunnel}: the {@link FullTunnelTour}'s lab, its report as JSON or text, and what to do on failure. */
    private int fullTunnel(Console console) throws Exception {
        LabSpec spec = FullTunnelTour.spec("tun");
        console.accept("bringing up 4 sites: 1-2 gateways, 3 full-tunnel client, 4 plain, and the internet namespace "
                + spec.internetNamespace());
        Lab lab = upOrExplain(spec, console, () -> Lab.up(spec, Preflight.home(), console));
        if (lab == null) {
            return 1;
        }
        FullTunnelTour.Report report;
        try {
            report = FullTunnelTour.run(lab, console);
        } finally {
            if (keep) {
                console.accept("lab kept: namespaces " + spec.prefix() + "-*; the uplink capture and the internet's request "
                        + "log in " + lab.runDir() + "; 'ringswitch lab down --name " + spec.name() + "' removes it");
            } else {
                lab.down();
                console.accept("lab removed");
            }
        }
        if (json) {
            System.out.println(report.toJson());
        } else {
            System.out.println();
            System.out.println("RingSwitch full-tunnel demo: sites 1-2 gateways, 3 full-tunnel client, 4 plain");
            report.results().forEach((k, v) -> System.out.printf("  %-28s %s%n", k, v));
            System.out.println(report.ok() ? "  all good" : "  PROBLEMS:\n    " + String.join("\n    ", report.problems()));
        }
        report.next().forEach(n -> console.accept("next: " + n));
        return report.ok() ? 0 : 1;
    }

    /** {@code --scenario private}: the lab of {@code topology/labs/private.yaml}, the {@link PrivateTour}, text or JSON. */
    private int privateOverlays(Console console) throws Exception {
        java.nio.file.Path file = Preflight.home().resolve("topology/labs/private.yaml");
        LabSpec spec;
        try {
            spec = LabSpec.load(file);
        } catch (java.io.IOException e) {
            console.accept("cannot read the lab: " + e.getMessage());
            return 2;
        }
        console.accept("bringing up " + file + ": sites 1-2 the public ring; " + spec.rings().subList(1, spec.rings().size())
                .stream().map(r -> "group " + spec.privateGroup(r.get(0)) + " sites " + r).collect(Collectors.joining(", ")));
        Lab lab = upOrExplain(spec, console, () -> Lab.up(spec, Preflight.home(), console));
        if (lab == null) {
            return 1;
        }
        PrivateTour.Report report;
        try {
            report = PrivateTour.run(lab, console);
        } finally {
            if (keep) {
                console.accept("lab kept: namespaces " + spec.prefix() + "-*; 'ringswitch lab down --name " + spec.name()
                        + "' removes it");
            } else {
                lab.down();
                console.accept("lab removed");
            }
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(report.toJson()));
        } else {
            System.out.println();
            System.out.println("RingSwitch private overlay demo: one public ring (sites 1-2), two private groups found through it");
            report.lines().forEach(System.out::println);
            System.out.println(report.ok() ? "  all good: each group's hosts reach each other and nobody else"
                    : "  PROBLEMS:\n    " + String.join("\n    ", report.problems()));
        }
        return report.ok() ? 0 : 1;
    }

    /**
     * How long the NAT demo gives its lab to be ready: every node running, the open sites joined, and
     * then the sites behind NATs and firewalls joined (relays and TCP links take their time).
     */
    private static final Duration NAT_READY = Duration.ofSeconds(180);
    /** However long the lab took to come up, the sites behind NATs and firewalls get this long to join. */
    private static final Duration NAT_JOIN_AT_LEAST = Duration.ofSeconds(30);

    /** {@code --scenario security}: the {@link SecurityTour}'s lab, its cases, a table or JSON, and what to do on failure. */
    private int security(Console console) throws Exception {
        LabSpec spec = SecurityTour.spec("sec");
        console.accept("bringing up 6 sites: 1-3 with valid certificates, 4 " + spec.credential(4) + ", 5 " + spec.credential(5)
                + ", 6 " + spec.credential(6));
        Lab lab = upOrExplain(spec, console, () -> Lab.up(spec, Preflight.home(), console));
        if (lab == null) {
            return 1;
        }
        SecurityTour.Report report;
        try {
            report = SecurityTour.run(lab, console);
        } finally {
            lab.down();
            console.accept("lab removed");
        }
        // The insider lab after the first is down: one lab at a time.
        report = InsiderTour.addTo(report, "secin", Preflight.home(), keep, console);
        if (keep) {
            console.accept("insider lab kept: namespaces " + InsiderTour.spec("secin").prefix() + "-*; payload records in "
                    + Lab.RUN_ROOT.resolve("secin") + "/s*/payloads.rec; 'ringswitch lab down --name secin' removes it");
        }
        // The revocation lab last, after the insider lab is down.
        report = RevocationTour.addTo(report, "secrev", Preflight.home(), false, console);
        if (json) {
            System.out.println(report.toJson());
        } else {
            System.out.println();
            System.out.println("RingSwitch security demo: sites 1-3 valid; 4 " + spec.credential(4) + ", 5 " + spec.credential(5)
                    + ", 6 " + spec.credential(6));
            System.out.printf("  %-17s %-5s %s%n", "case", "ok", "evidence");
            report.cases().forEach((name, c) -> {
                System.out.printf("  %-17s %-5s %s%n", name, c.ok() ? "yes" : "NO", c.evidence());
                c.problems().forEach(p -> System.out.println("      " + p));
            });
            System.out.println("  insider (" + report.insider().lab() + "):");
            report.insider().cases().forEach((name, c) -> System.out.printf("  %-21s %-22s %s%n", name, c.result(),
                    c instanceof InsiderTour.RoutedPayloads r ? String.format("shown in the lab: %d opened by the intermediates "
                            + "%s, %d routed messages of sites %d and %d forwarded by them, %d frames with the pattern came over "
                            + "the ring (control)", r.openedByIntermediate(), r.intermediates(), r.forwardedForPair(), r.siteA(),
                            r.siteB(), r.routedFramesWithPattern())
                            : "proven by " + ((InsiderTour.ProvenElsewhere) c).provenBy()));
            printRevocation(report.revocation());
            if (report.ok()) {
                System.out.println("  all good");
            } else {
                System.out.println("  what to do next:");
                report.next().forEach(n -> System.out.println("    - " + n));
            }
        }
        if (json && !report.ok()) {
            report.next().forEach(n -> console.accept("next: " + n));
        }
        return report.ok() ? 0 : 1;
    }

    /** How a scenario brings its lab up. */
    private interface LabStart {
        Lab up() throws java.io.IOException, InterruptedException;
    }

    /**
     * The lab {@code start} brings up; null, with what went wrong and what to do said on
     * {@code console}, when it did not come up.
     */
    private static Lab upOrExplain(LabSpec spec, Console console, LabStart start) throws InterruptedException {
        try {
            return start.up();
        } catch (java.io.IOException e) {
            console.accept("the lab did not come up: " + e.getMessage());
            console.accept("what to do: read the logs named above; 'ringswitch lab down --name " + spec.name() + "' removes leftovers");
            return null;
        }
    }

    /** The revocation section's lines of the text table. */
    private static void printRevocation(RevocationTour.Report r) {
        System.out.println("  revocation (" + r.sites() + " sites, CRL every " + r.crlSeconds() + " s):");
        for (RevocationTour.Revoked c : new RevocationTour.Revoked[] {r.serverUp(), r.serverDown()}) {
            System.out.printf("  %-21s %-5s site %d: last answered ping %s ms after the revoke (target %d); others lost %d of %d "
                    + "%s%n", c == r.serverUp() ? "server-up" : "server-down", c.ok() ? "yes" : "NO", c.site(),
                    c.revokeToLastReplyMs(), c.targetMs(), c.othersLost(), c.othersSent(), c.others());
        }
        System.out.printf("  %-21s %-5s site %d restarted with its old certificate: linked %s, refused as revoked %d x in %d s%n",
                "restarted", r.restarted().ok() ? "yes" : "NO", r.restarted().site(), r.restarted().restartedLinked(),
                r.restarted().refusedRevoked(), r.restarted().watchedSeconds());
    }
}
