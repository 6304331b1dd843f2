package io.ringswitch.topology;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.Crawl;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The NAT demo's tour of a lab whose sites sit behind every kind of {@link SiteEdge} ({@link #spec}):
 * which sites join, how each pair of sites reaches the other (a direct UDP or TCP link, a relay
 * through a third node, or greedy routing over the ring), how long its link took, whether its hosts
 * ping, and what each site's NAT did to its node's flows (from the router's conntrack table) next to
 * what the node learned of its public endpoints.
 */
public final class NatTour {
    /** How long the paths get to settle after every site joined (relays form a few seconds after a failed punch). */
    static final Duration SETTLE = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    /** Pings per pair after one to warm up (ARP over the ring, an on-demand link). */
    private static final int PINGS = 3;

    /**
     * One site.
     *
     * @param edge            what stands in front of it
     * @param listen          the address its node binds
     * @param joined          whether its node joined the ring
     * @param joinMs          from its node's start to its status showing it joined; null if it did not
     * @param links           links it has
     * @param publicEndpoints what its node learned of its own public endpoints (status {@code nat})
     * @param mapping         what its node concluded of its NAT: none, consistent, varies, unknown
     * @param tcpOnly         whether its node reaches others over TCP only
     * @param routerMappings  its router's view: the node's flows, each destination with the public source
     *                        it got ({@code 172.16.3.2:5800 -> 10.99.0.1:5800 as 10.99.0.3:5800})
     * @param portKept        whether the router kept the node's port on every flow ({@code yes}, {@code no},
     *                        {@code some}); null without a router or flows
     */
    public record SiteReport(int site, String edge, String listen, boolean joined, Long joinMs, int links,
                             List<String> publicEndpoints, String mapping, boolean tcpOnly, List<String> routerMappings,
                             String portKept) {
    }

    /**
     * One pair of sites, both directions.
     *
     * @param path        how {@code from} reaches {@code to}: {@code udp}, {@code tcp}, {@code relay} (a link of its
     *                    own), {@code ring} (no link: greedy routing through other nodes), {@code none} (one of
     *                    them is not in the ring)
     * @param via         the relay's site for a relayed link, else null
     * @param reversePath how {@code to} reaches {@code from}, the same way
     * @param expected    the path the pair should get once NAT traversal is complete (issue 10's plan)
     * @param setupMs     from the later of the two nodes' start to the link showing in either's status
     *                    (about a second's resolution); null without a link
     */
    @JsonPropertyOrder({"from", "to"})
    public record PairReport(int from, int to, String fromEdge, String toEdge, String path, Integer via, String reversePath,
                             String expected, Long setupMs, int sent, int received, Double rttMsAvg) {
        public boolean pings() {
            return sent > 0 && received == sent;
        }
    }

    /**
     * What the tour saw.
     *
     * @param ok          every site joined, the ring is consistent and every pair of hosts pings
     * @param crawl       the ring's consistency over the nodes that joined
     * @param crawlNodes  how many nodes that is
     * @param problems    what failed, one line each
     * @param differences pairs whose path is not the one expected
     * @param next        what to do about the problems
     * @param logs        where the lab's logs were copied when something failed, else null
     */
    public record Report(boolean ok, Map<String, SiteReport> sites, List<PairReport> pairs, double crawl, int crawlNodes,
                         List<String> problems, List<String> differences, List<String> next, String logs) {
        public String toJson() {
            try {
                return JSON.writeValueAsString(this);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a report that Jackson cannot write: " + e.getMessage(), e);
            }
        }
    }

    /** How one site reaches another, from the first one's status. */
    public record Path(String kind, Integer via) {
    }

    private NatTour() {
    }

    /**
     * The tour's lab: sites 1 and 2 open, 3 behind a port-preserving NAT, 4 behind a random-port NAT,
     * 5 behind a NAT that drops UDP, 6 behind a firewall; one host each, overlay MTU 1300 (room for
     * a relay's header).
     */
    public static LabSpec spec(String name) {
        return LabSpec.of(name, 6, 1).withOverlayMtu(1300).withEdge(3, SiteEdge.PORT_PRESERVING)
                .withEdge(4, SiteEdge.RANDOM).withEdge(5, SiteEdge.UDP_BLOCKED).withEdge(6, SiteEdge.FIREWALLED);
    }

    /**
     * The path a pair should get once NAT traversal is complete: direct UDP where either side is
     * open or both keep their ports (a punch), TCP from an open site to a UDP-blocked one, and a
     * relay where a random-port NAT (symmetric: its ports cannot be guessed) or a UDP block meets
     * another NAT or firewall.
     */
    public static String expected(SiteEdge a, SiteEdge b) {
        if (a == SiteEdge.UDP_BLOCKED || b == SiteEdge.UDP_BLOCKED) {
            return a == SiteEdge.OPEN || b == SiteEdge.OPEN ? "tcp" : "relay";
        }
        if (a == SiteEdge.OPEN || b == SiteEdge.OPEN) {
            return "udp";
        }
        return a == SiteEdge.RANDOM || b == SiteEdge.RANDOM ? "relay" : "udp";
    }

    /**
     * How {@code from} reaches {@code to} now: its link's kind (and relay) when it has a link to
     * {@code to}, {@code ring} when both are in the ring without one, {@code none} otherwise.
     */
    public static Path path(Lab lab, int from, int to) {
        Optional<NodeStatus> a = lab.health(from).live();
        Optional<NodeStatus> b = lab.health(to).live();
        if (a.isEmpty() || b.isEmpty() || !a.get().connected() || !b.get().connected()) {
            return new Path("none", null);
        }
        for (NodeStatus.LinkStatus link : a.get().links()) {
            if (link.address().equals(b.get().address())) {
                return new Path(link.kind(), link.kind().equals("relay") ? relaySite(lab, link.path()) : null);
            }
        }
        return new Path("ring", null);
    }

    /**
     * Waits up to {@code limit} until every site joined and the ring is consistent, noting when
     * links appear ({@link Lab#watchLinks}); returns whether that happened.
     */
    public static boolean awaitJoined(Lab lab, Duration limit, Consumer<String> progress) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        long lastReport = start;
        while (true) {
            lab.watchLinks();
            List<Integer> out = notJoined(lab);
            double crawl = crawlJoined(lab).consistency();
            if (out.isEmpty() && crawl == 1.0) {
                progress.accept("every site joined; the ring is consistent (crawl 1.0)");
                return true;
            }
            if (System.nanoTime() >= deadline) {
                progress.accept("after " + limit.toSeconds() + " s: sites not joined " + out + ", crawl " + crawl);
                return false;
            }
            if (System.nanoTime() - lastReport >= Duration.ofSeconds(10).toNanos()) {
                progress.accept("waiting for sites " + out + " to join (crawl " + crawl + ")");
                lastReport = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }

    /**
     * Once every site joined, relays and TCP links may still be forming (a relay follows a failed
     * punch by a few seconds): waits up to {@code limit} until every pair's path is the expected
     * one, noting links as they appear, so that the report shows the settled paths.
     */
    static void awaitPaths(Lab lab, Duration limit, Consumer<String> progress) throws InterruptedException {
        long start = System.nanoTime();
        int sites = lab.spec().sites();
        while (true) {
            lab.watchLinks();
            List<String> pending = new ArrayList<>();
            for (int a = 1; a <= sites; a++) {
                for (int b = a + 1; b <= sites; b++) {
                    String want = expected(lab.spec().edge(a), lab.spec().edge(b));
                    if (!path(lab, a, b).kind().equals(want)) {
                        pending.add(a + "<->" + b);
                    }
                }
            }
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (pending.isEmpty()) {
                progress.accept("every pair has the path expected of its edges (after " + waited + " ms more)");
                return;
            }
            if (waited >= limit.toMillis()) {
                progress.accept("after " + limit.toSeconds() + " s more, pairs on another path than expected: " + pending);
                return;
            }
            Thread.sleep(1000);
        }
    }

    /**
     * The crawl over the nodes that joined: is the ring they form consistent? (Nodes that did not
     * join have no neighbours and would only show that they did not.)
     */
    public static Crawl.Result crawlJoined(Lab lab) {
        return SiteHealth.crawl(lab.health().stream().filter(h -> h.live().map(NodeStatus::connected).orElse(false)).toList());
    }

    /** Sites whose node is not up and joined. */
    public static List<Integer> notJoined(Lab lab) {
        List<Integer> out = new ArrayList<>();
        for (SiteHealth h : lab.health()) {
            if (h.live().map(st -> !st.connected()).orElse(true)) {
                out.add(h.site());
            }
        }
        return out;
    }

    /** Runs the tour on {@code lab} (up, {@link Lab.Readiness#RUNNING}), giving its sites {@code joinWithin} to join. */
    public static Report run(Lab lab, Duration joinWithin, Consumer<String> progress) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        if (awaitJoined(lab, joinWithin, progress)) {
            awaitPaths(lab, SETTLE, progress);
        }
        List<String> problems = new ArrayList<>();
        List<String> next = new ArrayList<>();
        Map<String, SiteReport> sites = new LinkedHashMap<>();
        for (int s = 1; s <= spec.sites(); s++) {
            SiteReport site = site(lab, s);
            sites.put(Integer.toString(s), site);
            progress.accept(String.format("site %d (%s): %s, %d links; node: public endpoints %s, mapping %s; router: "
                            + "port kept %s, %s", s, site.edge(), site.joined() ? "joined after " + site.joinMs() + " ms" : "NOT joined",
                    site.links(), site.publicEndpoints(), site.mapping(), site.portKept(), site.routerMappings()));
            if (!site.joined()) {
                problems.add("site " + s + " (" + site.edge() + ") did not join the ring");
                next.add(whyNotJoined(site));
            }
        }
        List<PairReport> pairs = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        for (int a = 1; a <= spec.sites(); a++) {
            for (int b = a + 1; b <= spec.sites(); b++) {
                PairReport pair = pair(lab, a, b);
                pairs.add(pair);
                progress.accept(String.format("%d (%s) <-> %d (%s): %s%s / back %s, expected %s, %s, ping %d/%d%s",
                        a, pair.fromEdge(), b, pair.toEdge(), pair.path(), pair.via() == null ? "" : " via site " + pair.via(),
                        pair.reversePath(), pair.expected(), pair.setupMs() == null ? "no link" : "link after " + pair.setupMs()
                                + " ms", pair.received(), pair.sent(),
                        pair.rttMsAvg() == null ? "" : String.format(", avg %.3f ms", pair.rttMsAvg())));
                if (!pair.pings()) {
                    problems.add("hosts of sites " + a + " and " + b + " (" + pair.fromEdge() + ", " + pair.toEdge() + "): "
                            + pair.received() + "/" + pair.sent() + " pings answered (path " + pair.path() + ")");
                }
                if (!pair.path().equals(pair.expected())) {
                    differences.add(a + "<->" + b + ": " + pair.path() + ", expected " + pair.expected());
                }
            }
        }
        Crawl.Result crawl = crawlJoined(lab);
        if (crawl.consistency() < 1.0) {
            problems.add("crawl consistency " + crawl.consistency() + " over the " + crawl.nodes() + " nodes that joined (off: "
                    + crawl.inconsistent() + ")");
        }
        boolean joinedPairsFail = pairs.stream().anyMatch(p -> !p.pings() && !p.path().equals("none"));
        if (joinedPairsFail) {
            next.add("some pairs of sites in the ring do not reach each other: a NATted pair without a link of its own is "
                    + "routed through a third node, so read the node.log of both and of the open sites, and check 'ringswitch "
                    + "crawl --name " + spec.name() + "'");
        }
        if (!differences.isEmpty() && problems.isEmpty()) {
            next.add("every pair reaches the other, but " + differences.size() + " pair(s) take another path than expected "
                    + "(hole punching #10 B2, relays B6, TCP B7 in overlay-node): " + differences);
        }
        boolean ok = problems.isEmpty();
        String logs = null;
        if (!ok) {
            logs = lab.saveLogs().toString();
            next.add("the lab's node logs, status files and configs are kept in " + logs);
        }
        return new Report(ok, sites, List.copyOf(pairs), crawl.consistency(), crawl.nodes(), List.copyOf(problems), List.copyOf(differences),
                List.copyOf(next), logs);
    }

    private static SiteReport site(Lab lab, int s) throws IOException {
        LabSpec spec = lab.spec();
        Optional<NodeStatus> st = lab.health(s).live();
        NodeStatus.NatStats nat = st.map(NodeStatus::nat).orElse(NodeStatus.NatStats.unknown());
        List<EdgeRouter.Mapping> flows;
        List<String> shown;
        try {
            flows = lab.natMappings(s).stream().filter(m -> m.protocol().equals("udp") || m.protocol().equals("tcp")).toList();
            shown = flows.stream().limit(6).map(m -> m.protocol() + " " + m.privateSource() + " -> " + m.destination()
                    + " as " + m.publicSource() + (m.replied() ? "" : " (no reply)")).toList();
        } catch (IOException e) {
            flows = List.of();
            shown = List.of("unreadable: " + e.getMessage());
        }
        long kept = flows.stream().filter(EdgeRouter.Mapping::portKept).count();
        String portKept = flows.isEmpty() ? null : kept == flows.size() ? "yes" : kept == 0 ? "no" : "some";
        OptionalLong join = lab.joinMillis(s);
        return new SiteReport(s, spec.edge(s).id(), spec.siteListenIp(s), st.map(NodeStatus::connected).orElse(false),
                join.isPresent() ? join.getAsLong() : null, st.map(x -> x.links().size()).orElse(0),
                nat.publicEndpoints() == null ? List.of() : nat.publicEndpoints(), nat.mapping(), nat.tcpOnly(), shown, portKept);
    }

    private static PairReport pair(Lab lab, int a, int b) throws IOException {
        LabSpec spec = lab.spec();
        Path there = path(lab, a, b);
        Path back = path(lab, b, a);
        Long setup = null;
        if (!there.kind().equals("ring") && !there.kind().equals("none")) {
            String addressA = lab.health(a).live().map(NodeStatus::address).orElse("");
            String addressB = lab.health(b).live().map(NodeStatus::address).orElse("");
            OptionalLong ms = lab.linkSetupMillis(a, addressA, b, addressB);
            setup = ms.isPresent() ? ms.getAsLong() : null;
        }
        Ping ping;
        if (there.kind().equals("none")) {
            // One of them is not in the ring: one ping shows it, without the warm-up's wait.
            ping = lab.ping(a, 1, b, 1, 1, 0.2);
        } else {
            lab.ping(a, 1, b, 1, 1, 0.2);
            ping = lab.ping(a, 1, b, 1, PINGS, 0.2);
        }
        return new PairReport(a, b, spec.edge(a).id(), spec.edge(b).id(), there.kind(), there.via(), back.kind(),
                expected(spec.edge(a), spec.edge(b)), setup, ping.sent(), ping.received(),
                Double.isNaN(ping.rttAvgMs()) ? null : Math.round(ping.rttAvgMs() * 1000) / 1000.0);
    }

    /**
     * The site whose node's ring address starts as the relay in {@code path} ({@code relay:VIA>PEER},
     * where VIA is the relay's address or its leading digits); null if no site's is.
     */
    public static Integer relaySite(Lab lab, String path) {
        int colon = path.indexOf(':');
        int arrow = path.indexOf('>');
        if (colon < 0 || arrow < colon) {
            return null;
        }
        String via = path.substring(colon + 1, arrow);
        for (SiteHealth h : lab.health()) {
            if (h.status().map(st -> st.address().startsWith(via)).orElse(false)) {
                return h.site();
            }
        }
        return null;
    }

    /** What to do about a site that did not join, from what its node and its router show. */
    private static String whyNotJoined(SiteReport site) {
        SiteEdge edge = SiteEdge.of(site.edge());
        if (edge == SiteEdge.UDP_BLOCKED) {
            return "site " + site.site() + " is behind a NAT that drops UDP: it can only join over TCP links (#10 B7, "
                    + "overlay-node); until they exist it stays out";
        }
        if (edge.translated() && site.publicEndpoints().isEmpty()) {
            return "site " + site.site() + " (" + site.edge() + ") did not join and its node knows no public endpoint: it "
                    + "advertises its private address " + site.listen() + ", which the open sites cannot reach (in their node.log: "
                    + "'Network is unreachable', handshake-timeout to " + site.listen() + ":5800); it needs endpoint learning (#10 B1, overlay-node ring) so that contacts carry "
                    + "the endpoint peers saw";
        }
        if (edge == SiteEdge.FIREWALLED) {
            return "site " + site.site() + " (firewalled) did not join: a CONNECT's answerer sends its link request to the "
                    + "requester alone, and the firewall drops it unless the site sent to that answerer first (which depends on "
                    + "where this run's addresses put it on the ring); hole punching (#10 B2, overlay-node ring) makes both "
                    + "sides send. Its router's flows: " + site.routerMappings();
        }
        return "site " + site.site() + " (" + site.edge() + ") did not join: read its node.log and the open sites' logs "
                + "(security.refused, handshake timeouts); its router's flows: " + site.routerMappings();
    }
}
