package io.ringswitch.topology.cli;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.LabState;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.SiteHealth;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ringswitch lab up|down|status}: a lab that stays up between commands. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Bring a lab up, show its status, or take it down (also after a crash).")
final class LabCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ACTION", description = "up, down or status")
    String action;

    @Option(names = "--topology", paramLabel = "FILE", description = "Lab description in YAML (see topology/labs/).")
    Path topology;

    @Option(names = "--name", description = "Lab name, when no --topology is given (default ${DEFAULT-VALUE}).",
            defaultValue = "lab")
    String name;

    @Option(names = "--sites", defaultValue = "2", description = "Sites, when no --topology is given (default ${DEFAULT-VALUE}).")
    int sites;

    @Option(names = "--hosts", defaultValue = "1", description = "Hosts per site, when no --topology is given (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--shortcuts", paramLabel = "N",
            description = "Symphony shortcuts per node, when no --topology is given (default: the node's own).")
    Integer shortcuts;

    @Option(names = "--plaintext",
            description = "No certificates: links are neither authenticated nor encrypted, when no --topology is given.")
    boolean plaintext;

    @Option(names = "--gateways", split = ",", paramLabel = "SITES",
            description = "Sites whose node is a full-tunnel gateway, when no --topology is given (e.g. 1,2).")
    List<Integer> gateways;

    @Option(names = "--full-tunnel", split = ",", paramLabel = "SITES",
            description = "Sites in full-tunnel mode, when no --topology is given (e.g. 3); either option adds the internet namespace.")
    List<Integer> fullTunnel;

    @Option(names = "--cert-lifetime", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Run a group server in the lab's underlay namespace that admits every site and renews its "
                    + "certificate, which lives this long (60s to 4d, e.g. 90s); the nodes renew before two thirds of it. "
                    + "Default: certificates of 4 days and no group server.")
    Duration certLifetime;

    @Override
    public Integer call() throws Exception {
        Console console = new Console();
        LabSpec spec;
        try {
            spec = topology != null ? LabSpec.load(topology)
                    : new LabSpec(name, sites, hosts, null, null, shortcuts, null, !plaintext, null, null, null, gateways, fullTunnel,
                            null).checked();
            if (certLifetime != null) {
                spec = spec.withCertLifetime(certLifetime);
            }
        } catch (IOException | IllegalArgumentException e) {
            console.accept("bad lab description: " + e.getMessage());
            return 2;
        }
        switch (action) {
            case "up" -> {
                try {
                    if (spec.edges().isEmpty()) {
                        Lab.up(spec, Preflight.home(), console);
                    } else {
                        Lab.up(spec, Preflight.home(), console, Lab.Readiness.RUNNING, Duration.ofSeconds(180));
                    }
                } catch (IOException e) {
                    console.accept("the lab did not come up: " + e.getMessage());
                    return 1;
                }
                if (spec.renewsCertificates()) {
                    console.accept("certificates live " + spec.certLifetime().toSeconds() + " s and are renewed through the "
                            + "group server in " + spec.wanNamespace() + " (log: " + Lab.RUN_ROOT.resolve(spec.name())
                            + "/group-server.log); renewals per site: ringswitch lab status --name " + spec.name());
                }
                console.accept("lab '" + spec.name() + "' is up; hosts: ip netns exec " + spec.hostNamespace(1, 1)
                        + " ping " + spec.hostIp(2, 1) + "; remove it with: ringswitch lab down --name " + spec.name());
                if (spec.rings().size() > 1) {
                    List<Integer> first = spec.rings().get(1);
                    console.accept("private groups " + spec.rings().subList(1, spec.rings().size()) + ": ip netns exec "
                            + spec.hostNamespace(first.get(0), 1) + " ping " + spec.hostIp(first.get(1), 1)
                            + " (its group) answers; a host of another group or of a public site does not");
                }
                if (spec.hasInternet()) {
                    console.accept("internet: " + spec.internetNamespace() + " serves http://" + LabSpec.INTERNET_WEB_NAME
                            + "/ (" + LabSpec.INTERNET_WEB_IP + "); hosts route and resolve via " + LabSpec.ROUTER_IP
                            + (spec.fullTunnel().isEmpty() ? "" : "; full-tunnel site(s) " + spec.fullTunnel() + ": ip netns exec "
                            + spec.hostNamespace(spec.fullTunnel().get(0), 1) + " curl http://" + LabSpec.INTERNET_WEB_NAME + "/"));
                }
                return 0;
            }
            case "down" -> {
                Lab.down(spec.name(), console);
                return 0;
            }
            case "status" -> {
                return status(spec.name());
            }
            default -> {
                console.accept("unknown action '" + action + "': use up, down or status");
                return 2;
            }
        }
    }

    private static int status(String name) throws IOException {
        Path dir = Lab.RUN_ROOT.resolve(name);
        Optional<LabState> state = LabState.read(dir);
        if (state.isEmpty()) {
            System.out.println("no lab named '" + name + "' is up");
            return 1;
        }
        LabSpec spec = state.get().spec();
        int sites = spec.sites();
        System.out.println("lab '" + name + "': " + sites + " sites, namespaces " + state.get().namespaces().size());
        List<SiteHealth> health = SiteHealth.of(dir, sites);
        for (SiteHealth site : health) {
            if (!site.up()) {
                System.out.printf("  site %d: DOWN (%s)%n", site.site(), site.why());
                continue;
            }
            NodeStatus st = site.status().orElseThrow();
            if (!spec.member(site.site())) {
                System.out.printf("  site %d (%s, ring %s): up with a deliberately bad certificate (%s), %d links (it should "
                        + "have none)%n", site.site(), st.name(), st.address().substring(0, 8), spec.credential(site.site()),
                        st.links().size());
                printSecurity(st.security());
                continue;
            }
            System.out.printf("  site %d (%s, ring %s): up, bridge %s, overlay port %d, %s, %d links, remote MACs %d, "
                            + "frames out %d in %d, forwarded %d, relayed %d, rejected datagrams %d%n",
                    site.site(), st.name(), st.address().substring(0, 8),
                    st.controller().switches().isEmpty() ? "NOT CONNECTED" : "connected",
                    st.controller().overlayPort(), st.connected() ? "joined" : "NOT JOINED", st.links().size(),
                    st.remoteMacs(), st.frames().fromPort(), st.frames().toPort(), st.ring().forwarded(),
                    st.ring().relayed(), st.rejectedDatagrams());
            System.out.print(StatusTable.render(st, address -> siteName(address, health)).indent(6));
            NodeStatus.DataPathStats dp = st.dataPath();
            System.out.printf("      data path: %s%s, TAP offloads %s, %d super-frames cut, %d segments joined into %d TAP "
                            + "writes, %d frames sent in place%n",
                    dp.transport(), dp.gso() ? " with GSO" : "", dp.tapOffloads() ? "on" : "off", st.frames().superFrames(),
                    dp.segmentsJoined(), dp.tapWrites(), st.frames().direct());
            Map<String, Long> sw = st.controller().switchCounters();
            System.out.printf("      switch: %d flows, %d groups, %d meters; %d MACs and %d addresses bound to ports; ARP "
                            + "answered %d in OVS, %d by the controller; dropped %d spoofed, %d over storm meters; %d address "
                            + "conflicts; %d DHCP leases; %d multicast groups%n",
                    st.controller().flows(), st.controller().groups(), st.controller().meters(),
                    sw.getOrDefault("macs_bound", 0L), sw.getOrDefault("addresses_bound", 0L),
                    sw.getOrDefault("arp_answered_in_datapath", 0L), sw.getOrDefault("arp_answered_by_controller", 0L),
                    sw.getOrDefault("spoof_dropped", 0L), sw.getOrDefault("storm_dropped", 0L),
                    sw.getOrDefault("address_conflicts", 0L), st.dhcp().leaseCount(), sw.getOrDefault("multicast_groups", 0L));
            printSecurity(st.security());
            printCertificate(st.certificate());
            printEdge(spec, site.site(), st, health);
            NodeStatus.PrivateOverlayStatus p = st.privateOverlay();
            if (p != null) {
                System.out.printf("      private group %s: under %s on the public ring as %s (%s, %d links); published %s;"
                                + " members found %d; joins through %s; records refused %s%n", spec.privateGroup(site.site()),
                        p.key(), p.publicAddress().substring(0, 8), p.publicJoined() ? "joined" : "NOT JOINED", p.publicLinks(),
                        p.published(), p.members().size(), p.bootstraps(), p.refused());
            }
        }
        for (List<Integer> ring : spec.rings().size() > 1 ? spec.rings().subList(1, spec.rings().size()) : List.<List<Integer>>of()) {
            Crawl.Result c = SiteHealth.crawl(health.stream().filter(h -> ring.contains(h.site())).toList());
            System.out.printf("  crawl of private group %s's ring (sites %s): consistency %.3f%n", spec.privateGroup(ring.get(0)),
                    ring, c.consistency());
        }
        // With NATs and firewalls, which sites join is part of what the lab shows: the crawl is over those that did.
        boolean joinedOnly = !spec.edges().isEmpty();
        Crawl.Result crawl = SiteHealth.publicCrawl(spec, health.stream()
                .filter(h -> !joinedOnly || h.live().map(NodeStatus::connected).orElse(false)).toList());
        System.out.printf("  crawl of the %d %snodes %s: %d have the right first and second neighbours on both sides "
                + "(consistency %.3f)%n", crawl.nodes(), spec.rings().size() > 1 ? "public ring's (public sites and the private sites' public) "
                : "", joinedOnly ? "that joined" : "up", crawl.consistent(), crawl.consistency());
        return 0;
    }

    /**
     * For a lab with NATs and firewalls: what stands in front of the site, the public endpoints its
     * peers saw, and each link's path kind, peers named by site.
     */
    private static void printEdge(LabSpec spec, int site, NodeStatus st, List<SiteHealth> health) {
        if (spec.edges().isEmpty()) {
            return;
        }
        NodeStatus.NatStats nat = st.nat() == null ? NodeStatus.NatStats.unknown() : st.nat();
        System.out.printf("      edge: %s, listens on %s, public endpoints %s, mapping %s%s; keepalives %d, roamed %d, "
                        + "relayed for others %d%n", spec.edge(site), spec.siteListenIp(site), nat.publicEndpoints(), nat.mapping(),
                nat.tcpOnly() ? ", TCP only" : "", nat.keepalivesSent(), nat.roamed(), nat.relayedForOthers());
        StringBuilder paths = new StringBuilder();
        for (NodeStatus.LinkStatus link : st.links()) {
            paths.append(paths.length() == 0 ? "" : ", ").append(siteOf(link.address(), health)).append(' ').append(link.path());
            if ("relay".equals(link.kind())) {
                // relay:VIA>PEER names the relay by its address (or the start of it): name its site too.
                String via = link.path().substring(link.path().indexOf(':') + 1, Math.max(link.path().indexOf('>'),
                        link.path().indexOf(':') + 1));
                paths.append(" (via ").append(via.isEmpty() ? "?" : siteOf(via, health)).append(')');
            }
        }
        System.out.printf("      paths: %s%n", paths.length() == 0 ? "none" : paths);
    }

    /** The site name of the node whose ring address is or starts with {@code address}; null when none is up. */
    private static String siteName(String address, List<SiteHealth> health) {
        return health.stream().map(SiteHealth::status).flatMap(java.util.Optional::stream)
                .filter(p -> p.address().startsWith(address)).map(NodeStatus::name).findFirst().orElse(null);
    }

    /** {@code site N} for the node whose ring address is or starts with {@code address}, else the address's first 8 digits. */
    private static String siteOf(String address, List<SiteHealth> health) {
        return health.stream().filter(h -> h.status().map(p -> p.address().startsWith(address)).orElse(false))
                .map(h -> "site " + h.site()).findFirst().orElse(address.substring(0, Math.min(8, address.length())));
    }

    /** One line on the node's certificate and its renewal through the group server (issue 19). */
    private static void printCertificate(NodeStatus.CertificateStatus c) {
        if (c == null) {
            return;
        }
        System.out.printf("      certificate: %s, expires in %d s (%s), %d renewals, %d failed tries%s%s%n", c.state(),
                c.expiresInSeconds(), c.notAfter(), c.renewals(), c.failures(),
                c.nextRenewal() == null ? "" : ", next renewal " + c.nextRenewal(),
                c.lastError() == null ? "" : ", last error: " + c.lastError());
    }

    /** One line on link security and, when something was refused, the last refusal and why. */
    private static void printSecurity(NodeStatus.SecurityStats sec) {
        if (sec == null || !sec.encrypted()) {
            System.out.println("      security: plaintext (no identity)");
            return;
        }
        System.out.printf("      security: group %s, %d sessions, %d handshakes, %d renewals, refused %s%n", sec.group(),
                sec.sessions(), sec.handshakes(), sec.rekeys(), sec.refused() == null || sec.refused().isEmpty() ? "nothing"
                        : sec.refused());
        if (sec.lastRefused() != null && !sec.lastRefused().isEmpty()) {
            NodeStatus.Refusal last = sec.lastRefused().get(sec.lastRefused().size() - 1);
            System.out.printf("      last refused: %s from %s (%s)%n", last.reason(), last.from(), last.detail());
        }
    }
}
