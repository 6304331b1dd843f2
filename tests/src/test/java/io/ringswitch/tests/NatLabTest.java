package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.topology.EdgeRouter;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.NatTour;
import io.ringswitch.topology.Ping;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import io.ringswitch.topology.SiteEdge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sites behind every kind of NAT and firewall ({@link NatTour#spec}: 1-2 open, 3 port-preserving,
 * 4 random, 5 udp-blocked, 6 firewalled), on real routers with nftables. What holds with any build
 * is asserted at once: each router maps as its kind says (read from its conntrack table, on the
 * nodes' own flows), the open sites form the ring, and the sites in the ring reach each other; the
 * firewalled site, when it joined, links directly to the open sites. What NAT traversal adds (#10: endpoint learning B1, relays B6, TCP links B7) is asserted
 * once the build shows it has it, and reported as skipped, with the reason, until then. Every
 * pair's path kind is printed, so that a change shows in the log. The last test changes site 4's
 * NAT (a relayed pair must go direct once the block is lifted), so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatLabTest {
    private static final LabSpec SPEC = NatTour.spec("natlab");
    /** How long the sites behind routers get to join after the open sites did. */
    private static final Duration JOIN = Duration.ofSeconds(40);
    private static Lab lab;
    /**
     * Why the firewalled site may stay out with a node that has no hole punching: a CONNECT's
     * answerer sends its link request to the requester alone, and the firewall drops it unless the
     * site sent to that answerer first, which depends on where this run's random addresses put the
     * site on the ring (it joined in 6 of 9 runs here, in 10-15 s).
     */
    private static final String FIREWALLED_OUT = "site 6 (firewalled) did not join: this build's CONNECT answerer probes the "
            + "requester alone and the firewall drops that unless site 6 sent to it first (ring order of this run); hole "
            + "punching (#10 B2) makes both sides send; expected until then";

    @org.junit.jupiter.api.extension.RegisterExtension
    final KeepLogsOnFailure keepLogs = new KeepLogsOnFailure(() -> lab);

    @BeforeAll
    static void up() throws Exception {
        Lab.down(SPEC.name(), NatLabTest::log);
        lab = Lab.up(SPEC, Preflight.home(), NatLabTest::log, Lab.Readiness.RUNNING, Duration.ofSeconds(120));
        NatTour.awaitJoined(lab, JOIN, NatLabTest::log);
    }

    @AfterAll
    static void down() throws Exception {
        Lab.down(SPEC.name(), NatLabTest::log);
        String left = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
        assertTrue(!left.contains(SPEC.prefix() + "-"), "namespaces left behind (routers too): " + left);
    }

    @Test
    @Order(1)
    void eachRouterMapsTheNodesFlowsAsItsKindSays() throws Exception {
        List<EdgeRouter.Mapping> preserving = udp(3);
        List<EdgeRouter.Mapping> random = udp(4);
        List<EdgeRouter.Mapping> blocked = udp(5);
        List<EdgeRouter.Mapping> firewalled = udp(6);
        log("router mappings: 3 " + preserving + "; 4 " + random + "; 5 " + blocked + "; 6 " + firewalled);
        String bootstrap = SPEC.siteUnderlayIp(1) + ":" + Lab.NODE_PORT;
        assertTrue(preserving.stream().anyMatch(m -> m.destination().equals(bootstrap) && m.replied()),
                "site 3's node reached the bootstrap site through its NAT: " + preserving);
        assertTrue(preserving.stream().allMatch(m -> m.portKept() && m.publicSource().startsWith(SPEC.siteUnderlayIp(3) + ":")),
                "the port-preserving NAT keeps port " + Lab.NODE_PORT + " on the public address: " + preserving);
        assertTrue(random.stream().anyMatch(m -> m.destination().equals(bootstrap) && m.replied()),
                "site 4's node reached the bootstrap site through its NAT: " + random);
        assertTrue(random.stream().anyMatch(m -> !m.portKept()), "the random NAT draws new ports: " + random);
        assertTrue(blocked.stream().noneMatch(EdgeRouter.Mapping::replied), "no UDP gets through site 5's router: " + blocked);
        assertTrue(firewalled.stream().anyMatch(EdgeRouter.Mapping::replied), "site 6's node reached out: " + firewalled);
        assertTrue(firewalled.stream().allMatch(m -> m.publicSource().equals(m.privateSource())),
                "the firewall translates nothing: " + firewalled);
    }

    @Test
    @Order(2)
    void theFirewalledSiteJoinsAndLinksDirectlyToTheOpenSites() {
        NodeStatus six = live(6);
        if (!learnsEndpoints()) {
            assumeTrue(six.connected(), FIREWALLED_OUT);
        }
        assertTrue(six.connected(), "site 6 (firewalled) joined");
        for (int open : List.of(1, 2)) {
            NatTour.Path out = NatTour.path(lab, 6, open);
            NatTour.Path in = NatTour.path(lab, open, 6);
            assertEquals("udp", out.kind(), "site 6 links to site " + open + " over UDP");
            assertEquals("udp", in.kind(), "site " + open + " links to site 6 over UDP");
            NodeStatus.LinkStatus link = live(open).links().stream().filter(l -> l.address().equals(six.address()))
                    .findFirst().orElseThrow();
            assertEquals("udp:" + SPEC.siteUnderlayIp(6) + ":" + Lab.NODE_PORT, link.path(),
                    "site " + open + " reaches site 6 at its own address (no NAT)");
        }
    }

    @Test
    @Order(3)
    void theSitesInTheRingAllReachEachOtherAndEveryPairsPathIsPrinted() throws Exception {
        List<Integer> joined = new ArrayList<>();
        for (int s = 1; s <= SPEC.sites(); s++) {
            if (lab.health(s).live().map(NodeStatus::connected).orElse(false)) {
                joined.add(s);
            }
        }
        log("joined: " + joined + " (of 1-" + SPEC.sites() + ")");
        printPaths();
        Crawl.Result crawl = NatTour.crawlJoined(lab);
        // Until relays (#10 B6), the random-port NAT's site links to open sites only: where its
        // ring neighbours sit behind a NAT or a firewall of their own, the ring cannot close around
        // it and traffic to it is routed through the open sites. Reachability is what is asserted.
        log("crawl of the joined nodes: consistency " + crawl.consistency() + ", off: " + crawl.inconsistent());
        if (!joined.contains(4)) {
            assertEquals(1.0, crawl.consistency(), "the ring of the nodes that joined is consistent; off: " + crawl.inconsistent());
        }
        List<String> lossy = new ArrayList<>();
        for (int a : joined) {
            for (int b : joined) {
                if (a < b) {
                    lab.ping(a, 1, b, 1, 1, 0.2);
                    Ping ping = lab.ping(a, 1, b, 1, 3, 0.2);
                    String kind = NatTour.path(lab, a, b).kind();
                    log(String.format("ping %d -> %d (%s): %d/%d", a, b, kind, ping.received(), ping.sent()));
                    if (!ping.lossless() && reachableToday(a, b, kind)) {
                        lossy.add(a + "->" + b + " " + ping);
                    }
                }
            }
        }
        assertTrue(lossy.isEmpty(), "lost pings between sites in the ring: " + lossy);
        assertTrue(joined.containsAll(List.of(1, 2)), "the open sites are in the ring: " + joined);
        if (learnsEndpoints()) {
            assertTrue(joined.containsAll(List.of(1, 2, 3, 4, 6)), "every site that can use UDP is in the ring: " + joined);
        } else if (!joined.contains(6)) {
            log(FIREWALLED_OUT);
        }
    }

    @Test
    @Order(4)
    void sitesBehindNatsJoinOnceNodesLearnTheirPublicEndpoints() throws Exception {
        assumeTrue(learnsEndpoints(), "no node reports a public endpoint or a mapping: this build has no endpoint learning "
                + "(#10 B1), so sites 3 and 4 advertise their private 172.16.S.2 and stay out of the ring; expected until then");
        for (int s : List.of(3, 4)) {
            NodeStatus st = live(s);
            assertTrue(st.connected(), "site " + s + " (" + SPEC.edge(s) + ") joined");
            for (int open : List.of(1, 2)) {
                assertEquals("udp", NatTour.path(lab, s, open).kind(), "site " + s + " links directly to open site " + open);
            }
        }
        assertEquals(List.of(SPEC.siteUnderlayIp(3) + ":" + Lab.NODE_PORT), live(3).nat().publicEndpoints(),
                "site 3 learned the one public endpoint its port-preserving NAT gives it");
        assertEquals("consistent", live(3).nat().mapping());
        assertEquals("varies", live(4).nat().mapping(), "site 4's random NAT gives each peer another port");
        for (int a : List.of(1, 2, 3, 4, 6)) {
            for (int b : List.of(1, 2, 3, 4, 6)) {
                if (a < b && (SPEC.edge(a).translated() || SPEC.edge(b).translated())) {
                    lab.ping(a, 1, b, 1, 1, 0.2);
                    Ping ping = lab.ping(a, 1, b, 1, 3, 0.2);
                    String kind = NatTour.path(lab, a, b).kind();
                    log(String.format("ping %d -> %d (%s): %d/%d", a, b, kind, ping.received(), ping.sent()));
                    if (reachableToday(a, b, kind)) {
                        assertTrue(ping.lossless(), a + " -> " + b + " (" + kind + "): " + ping);
                    }
                }
            }
        }
    }

    /**
     * Whether a pair must reach each other with today's node: one of them open, or a direct link
     * between them. Two sites behind NATs or firewalls without a direct link (the random-port NAT
     * against another NAT or the firewall) are routed over the ring, and where that ring cannot
     * close around the random-port site (its neighbours behind NATs too) routing may not reach it:
     * relays (#10 B6) are what fixes that, and this test prints those pairs' results meanwhile.
     */
    private static boolean reachableToday(int a, int b, String kind) {
        return SPEC.edge(a) == SiteEdge.OPEN || SPEC.edge(b) == SiteEdge.OPEN || !kind.equals("ring");
    }

    @Test
    @Order(5)
    void theUdpBlockedSiteHasNoUdpLinkAndJoinsOnlyOverTcp() throws Exception {
        Optional<NodeStatus> five = lab.health(5).live();
        assertTrue(five.isPresent(), "site 5's node runs: " + lab.health(5).why());
        assertTrue(five.get().links().stream().noneMatch(l -> l.kind().equals("udp")),
                "site 5 has no UDP link (its router drops UDP): " + five.get().links());
        assumeTrue(five.get().connected(), "site 5 (udp-blocked) did not join: it needs TCP links (#10 B7); expected until then");
        assertTrue(five.get().links().stream().allMatch(l -> l.kind().equals("tcp") || l.kind().equals("relay")),
                "site 5's links are TCP or relayed: " + five.get().links());
        for (int open : List.of(1, 2)) {
            assertEquals("tcp", NatTour.path(lab, 5, open).kind(), "site 5 links to open site " + open + " over TCP");
            lab.ping(5, 1, open, 1, 1, 0.2);
            Ping ping = lab.ping(5, 1, open, 1, 3, 0.2);
            assertTrue(ping.lossless(), "5 -> " + open + ": " + ping);
        }
    }

    @Test
    @Order(6)
    void aRelayedPairGoesDirectOnceItsNatKeepsPorts() throws Exception {
        NatTour.Path before = NatTour.path(lab, 3, 4);
        assumeTrue(before.kind().equals("relay"), "sites 3 (port-preserving) and 4 (random) are not relayed (path "
                + before.kind() + "): this build has no relays (#10 B6); expected until then");
        log("3 -> 4 relayed via site " + before.via() + "; site 4's NAT now keeps ports");
        lab.changeNat(4, SiteEdge.PORT_PRESERVING);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && !NatTour.path(lab, 3, 4).kind().equals("udp")) {
            Thread.sleep(1000);
        }
        assertEquals("udp", NatTour.path(lab, 3, 4).kind(), "3 -> 4 went direct within 90 s of the block being lifted");
        lab.ping(3, 1, 4, 1, 1, 0.2);
        assertTrue(lab.ping(3, 1, 4, 1, 3, 0.2).lossless(), "3 -> 4 pings on its direct link");
    }

    /** Prints how each site reaches each other one, and what issue 10's plan expects. */
    private static void printPaths() {
        StringBuilder table = new StringBuilder("paths (from row to column; expected in brackets):\n      ");
        for (int b = 1; b <= SPEC.sites(); b++) {
            table.append(String.format("%-18s", b + " " + SPEC.edge(b)));
        }
        for (int a = 1; a <= SPEC.sites(); a++) {
            table.append(String.format("%n  %-4d", a));
            for (int b = 1; b <= SPEC.sites(); b++) {
                if (a == b) {
                    table.append(String.format("%-18s", "-"));
                    continue;
                }
                NatTour.Path p = NatTour.path(lab, a, b);
                table.append(String.format("%-18s", p.kind() + (p.via() == null ? "" : "@" + p.via())
                        + " (" + NatTour.expected(SPEC.edge(a), SPEC.edge(b)) + ")"));
            }
        }
        log(table.toString());
    }

    /** Whether any node of the lab says what it learned of its public endpoints (#10 B1). */
    private static boolean learnsEndpoints() {
        for (int s = 1; s <= SPEC.sites(); s++) {
            Optional<NodeStatus.NatStats> nat = lab.health(s).live().map(NodeStatus::nat);
            if (nat.isPresent() && (!nat.get().publicEndpoints().isEmpty() || !"unknown".equals(nat.get().mapping()))) {
                return true;
            }
        }
        return false;
    }

    private static List<EdgeRouter.Mapping> udp(int site) throws Exception {
        assertTrue(SPEC.edge(site) != SiteEdge.OPEN);
        return lab.natMappings(site).stream().filter(m -> m.protocol().equals("udp")).toList();
    }

    private static NodeStatus live(int site) {
        Optional<NodeStatus> st = lab.health(site).live();
        assertTrue(st.isPresent(), "site " + site + " is up: " + lab.health(site).why());
        return st.get();
    }

    private static void log(String line) {
        System.err.println("[NatLabTest] " + line);
    }
}
