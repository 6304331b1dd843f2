package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.control.PingReport;
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
 * 4 random, 5 udp-blocked, 6 firewalled), on real routers with nftables, in one lab. Asserted: each
 * router maps as its kind says (read from its conntrack table, on the nodes' own flows); every site
 * joins; every one of the 15 pairs of hosts pings, whether its path is a direct UDP link, a TCP link,
 * a relay through a third node or the ring; the firewalled site and the NATted ones link directly
 * to the open sites and learn their public endpoints; the UDP-blocked site joins over TCP links to
 * the open sites (#10 B7) and reaches every other site; and a relayed pair (#10 B6) goes direct once
 * its NAT keeps ports. The sites sit on the ring in {@link #RING_ORDER} with no shortcuts, so that
 * sites 3 and 4 are not neighbours: their traffic alone must get them a relayed link that carries
 * frames (issue 18). Every pair's path kind is printed, so that a change shows in the log. The last
 * test changes site 4's NAT, so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatLabTest {
    /**
     * The sites in this order around the ring and no shortcuts: each site's near neighbours are the
     * four others but the one opposite, so 3 and 4 (like 1 and 2, and 5 and 6) are not neighbours
     * and only their traffic can link them (issue 18).
     */
    static final List<Integer> RING_ORDER = List.of(1, 3, 6, 2, 4, 5);
    private static final LabSpec SPEC = NatTour.spec("natlab").withRingOrder(RING_ORDER).withShortcuts(0);
    /** How long two NATted sites that are not neighbours get to relay their traffic (issue 18). */
    private static final Duration ON_DEMAND_RELAY = Duration.ofSeconds(30);
    /** How long the sites behind routers get to join after the open sites did. */
    private static final Duration JOIN = Duration.ofSeconds(90);
    private static Lab lab;

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
        assertTrue(six.connected(), "site 6 (firewalled) joined (hole punching: both sides of a CONNECT send)");
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
    @Order(4)
    void everyPairOfHostsPingsWhateverStandsBetweenThem() throws Exception {
        List<Integer> joined = new ArrayList<>();
        for (int s = 1; s <= SPEC.sites(); s++) {
            if (lab.health(s).live().map(NodeStatus::connected).orElse(false)) {
                joined.add(s);
            }
        }
        log("joined: " + joined + " (of 1-" + SPEC.sites() + ")");
        Crawl.Result crawl = NatTour.crawlJoined(lab);
        log("crawl of the joined nodes: consistency " + crawl.consistency() + ", off: " + crawl.inconsistent());
        List<String> lossy = new ArrayList<>();
        for (int a = 1; a <= SPEC.sites(); a++) {
            for (int b = a + 1; b <= SPEC.sites(); b++) {
                Ping ping = pings(a, b);
                log(String.format("ping %d -> %d (%s): %d/%d", a, b, NatTour.path(lab, a, b).kind(), ping.received(), ping.sent()));
                if (!ping.lossless()) {
                    lossy.add(a + "->" + b + " (" + SPEC.edge(a) + " to " + SPEC.edge(b) + ") " + ping);
                }
            }
        }
        printPaths();
        assertEquals(List.of(1, 2, 3, 4, 5, 6), joined, "every site joined: UDP where it can, TCP where UDP is blocked");
        assertTrue(lossy.isEmpty(), "every one of the 15 pairs of hosts pings; lost: " + lossy);
    }

    @Test
    @Order(5)
    void sitesBehindNatsLearnTheirPublicEndpointsAndLinkToTheOpenSites() {
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
    }

    @Test
    @Order(6)
    void theUdpBlockedSiteJoinsOverTcpAndReachesEveryOtherSite() throws Exception {
        NodeStatus five = live(5);
        assertTrue(five.connected(), "site 5 (udp-blocked) joined over TCP");
        assertTrue(five.nat().tcpOnly(), "site 5's node knows it reaches others over TCP only: " + five.nat());
        assertTrue(five.links().stream().noneMatch(l -> l.kind().equals("udp")),
                "site 5 has no UDP link (its router drops UDP): " + five.links());
        assertTrue(five.links().stream().allMatch(l -> l.kind().equals("tcp") || l.kind().equals("relay")),
                "site 5's links are TCP or relayed: " + five.links());
        for (int open : List.of(1, 2)) {
            assertEquals("tcp", NatTour.path(lab, 5, open).kind(), "site 5 links to open site " + open + " over TCP");
            assertEquals("tcp", NatTour.path(lab, open, 5).kind(), "open site " + open + " links to site 5 over TCP");
        }
        for (int other : List.of(1, 2, 3, 4, 6)) {
            Ping ping = pings(5, other);
            assertTrue(ping.lossless(), "5 -> " + other + " (" + SPEC.edge(other) + ", path " + NatTour.path(lab, 5, other).kind()
                    + "): " + ping);
        }
    }

    @Test
    @Order(3)
    void twoNattedSitesOppositeOnTheRingGetARelayedLinkOfTheirOwnAndPingThroughIt() throws Exception {
        // Before any other test sends between the hosts: the pings of the wait are the pair's first traffic.
        NodeStatus three = live(3);
        String four = live(4).address();
        // While the ring formed, 3 and 4 may have been neighbours for a moment (and relayed): that
        // link goes once neither claims it.
        long quiet = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!NatTour.path(lab, 3, 4).kind().equals("ring") && System.nanoTime() < quiet) {
            Thread.sleep(500);
        }
        assertEquals("ring", NatTour.path(lab, 3, 4).kind(), "no link 3 -> 4 before traffic (one from the join is trimmed)");
        assertTrue(!three.left().contains(four) && !three.right().contains(four),
                "site 4 is not among site 3's near neighbours: " + three.left() + " / " + three.right());
        long start = System.nanoTime();
        NatTour.Path there = await(() -> NatTour.path(lab, 3, 4), p -> p.kind().equals("relay"), ON_DEMAND_RELAY);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals("relay", there.kind(), "3 -> 4 relayed within " + ON_DEMAND_RELAY.toSeconds() + " s of traffic");
        // Each node writes its status about once a second: the other end may show it a moment later.
        NatTour.Path back = await(() -> NatTour.path(lab, 4, 3), p -> p.kind().equals("relay"), Duration.ofSeconds(10));
        assertEquals("relay", back.kind(), "4 -> 3 is relayed too");
        assertEquals(there.via(), back.via(), "both ends use one relay");
        assertTrue(there.via() != null && SPEC.edge(there.via()) == SiteEdge.OPEN, "the relay is an open site's node: " + there.via());
        log(String.format("3 -> 4 (not neighbours) relayed via site %d %.1f s after traffic began", there.via(), seconds));
        Ping ping = lab.ping(3, 1, 4, 1, 20, 0.1);
        assertTrue(ping.lossless(), "20 pings 3 -> 4 through the relay: " + ping);
        assertEquals("relay", NatTour.path(lab, 3, 4).kind(), "and they went through the relay");
    }

    /**
     * {@code ringswitch status --json} and {@code ringswitch ping} from the sites' namespaces, through
     * each node's control socket (issue 20): site 5 (UDP blocked) shows TCP links and pings an open
     * site directly over TCP; site 3 pings site 4 through their relay, named; site 1 pings site 2,
     * opposite on the ring, over the ring's hops (unless traffic gave them a link); the table is printed.
     */
    @Test
    @Order(7)
    void statusAndPingThroughTheControlSocketShowTheLabsPaths() throws Exception {
        NodeStatus five = cli(5, NodeStatus.class, "status", "--json");
        assertTrue(five.links().stream().anyMatch(l -> l.kind().equals("tcp")), "site 5 has TCP links: " + five.links());
        // A link made a moment ago (a relayed one that traffic asked for) may not have carried anything yet.
        assertTrue(five.links().stream().allMatch(l -> !l.kind().equals("udp") && l.ageSeconds() >= 0
                && (l.ageSeconds() < 5 || (l.recordsIn() > 0 && l.bytesOut() > 0))),
                "site 5's links are TCP or relayed, each older than 5 s with traffic: " + five.links());
        PingReport toOpen = cli(5, PingReport.class, "ping", "site1", "--count", "2", "--json");
        for (PingReport.Reply r : toOpen.replies()) {
            assertEquals("direct", r.way(), "5 -> 1: " + r);
            assertTrue(r.path().startsWith("tcp:"), "5 -> 1 over TCP: " + r);
        }
        NatTour.Path relayed = await(() -> NatTour.path(lab, 3, 4), p -> p.kind().equals("relay"), Duration.ofSeconds(60));
        assertEquals("relay", relayed.kind(), "3 -> 4 is relayed");
        // The relayed link lasts while the pair has traffic (issue 18): keep some on it.
        lab.ping(3, 1, 4, 1, 2, 0.2);
        PingReport toFour = cli(3, PingReport.class, "ping", "site4", "--json");
        NatTour.Path after = NatTour.path(lab, 3, 4);
        PingReport.Reply r = toFour.replies().get(0);
        if (after.kind().equals("relay")) {
            assertEquals("relay", r.way(), "3 -> 4: " + r);
            assertEquals(live(after.via()).address(), r.via(), "through the relay the status shows");
        } else {
            assertEquals("ring", r.way(), "3 -> 4 as the status shows it (" + after.kind() + ", the relay let go): " + r);
        }
        // Sites 1 and 2 sit opposite on the ring: without a link of their own, the echo is routed.
        PingReport toTwo = cli(1, PingReport.class, "ping", live(2).address(), "--json");
        String kind = NatTour.path(lab, 1, 2).kind();
        PingReport.Reply routed = toTwo.replies().get(0);
        assertEquals(kind.equals("ring") ? "ring" : kind.equals("relay") ? "relay" : "direct", routed.way(),
                "1 -> 2 as the status shows it (" + kind + "): " + routed);
        assertTrue(!kind.equals("ring") || routed.hopsThere() >= 2, "routed over at least two hops: " + routed);
        log("ringswitch status in site 3's namespace:\n" + cli(3, null, "status"));
        log("ringswitch ping (site 2's address) from site 1: " + cli(1, null, "ping", live(2).address(), "--count", "3"));
        log("ringswitch ping site4 from site 3: " + cli(3, null, "ping", "site4", "--count", "3"));
        log("ringswitch ping site1 from site 5: " + cli(5, null, "ping", "site1", "--count", "3"));
    }

    /**
     * Runs {@code ringswitch ARGS --socket (the site's)} in the site's namespace; returns its output
     * read as {@code type}, or as text when {@code type} is null.
     */
    private static <T> T cli(int site, Class<T> type, String... args) throws Exception {
        return SiteCli.run(lab, site, type, args);
    }

    @Test
    @Order(8)
    void aRelayedPairGoesDirectOnceItsNatKeepsPorts() throws Exception {
        // Sites 3 (port-preserving) and 4 (random) cannot punch: traffic between them makes a relay.
        NatTour.Path before = await(() -> NatTour.path(lab, 3, 4), p -> p.kind().equals("relay"), Duration.ofSeconds(60));
        assertEquals("relay", before.kind(), "3 -> 4 is relayed while site 4's NAT draws random ports");
        assertTrue(before.via() != null && SPEC.edge(before.via()) == SiteEdge.OPEN,
                "the relay is an open site's node: " + before.via());
        assertTrue(pings(3, 4).lossless(), "3 -> 4 pings through the relay");
        log("3 -> 4 relayed via site " + before.via() + "; site 4's NAT now keeps ports");
        lab.changeNat(4, SiteEdge.PORT_PRESERVING);
        long lifted = System.nanoTime();
        NatTour.Path after = await(() -> NatTour.path(lab, 3, 4), p -> p.kind().equals("udp"), Duration.ofSeconds(90));
        assertEquals("udp", after.kind(), "3 -> 4 went direct within 90 s of the block being lifted");
        log(String.format("3 -> 4 direct (udp) %.1f s after site 4's NAT began keeping ports", (System.nanoTime() - lifted) / 1e9));
        // Each node writes its status about once a second: the other end may show it a moment later.
        NatTour.Path back = await(() -> NatTour.path(lab, 4, 3), p -> p.kind().equals("udp"), Duration.ofSeconds(10));
        assertEquals("udp", back.kind(), "4 -> 3 is direct too");
        assertTrue(pings(3, 4).lossless(), "3 -> 4 pings on its direct link");
        assertTrue(pings(4, 3).lossless(), "4 -> 3 pings on its direct link");
    }

    /**
     * One warm-up echo (ARP across the ring, an on-demand link or relay), then three that count;
     * where those lose any, up to two more rounds a few seconds apart, since a relay or a TCP link
     * may still be forming. Returns the last round.
     */
    private static Ping pings(int a, int b) throws Exception {
        lab.ping(a, 1, b, 1, 1, 0.2);
        Ping ping = lab.ping(a, 1, b, 1, 3, 0.2);
        for (int round = 0; round < 2 && !ping.lossless(); round++) {
            Thread.sleep(3000);
            ping = lab.ping(a, 1, b, 1, 3, 0.2);
        }
        return ping;
    }

    /**
     * Looks at {@code what} every second (with a ping 3 -> 4 to keep traffic on the pair) until it
     * satisfies {@code done} or {@code limit} passes; returns what it saw last.
     */
    private static <T> T await(java.util.function.Supplier<T> what, java.util.function.Predicate<T> done, Duration limit)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        T seen = what.get();
        while (!done.test(seen) && System.nanoTime() < deadline) {
            lab.ping(3, 1, 4, 1, 1, 0.2);
            Thread.sleep(1000);
            seen = what.get();
        }
        return seen;
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
