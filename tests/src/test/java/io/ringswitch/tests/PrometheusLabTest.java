package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.PrometheusScrape;
import io.ringswitch.topology.Shell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 20's Prometheus check: Debian's {@code prometheus}, a real scraper, scrapes every node of a
 * 4-site lab on its operator address ({@code operator: {listen}}, here the site's underlay address
 * so that the scraper in the WAN namespace reaches it), and PromQL through its HTTP API returns,
 * for every link of every node, the RTT and the records each way that {@code ringswitch status
 * --json} shows for that link. Counters are compared while the sites' hosts are quiet, so that both
 * reads see the same figures; RTTs within the spread of two measurements taken moments apart.
 */
class PrometheusLabTest {
    private static final String NAME = "promlb";
    private static final int SITES = 4;
    private static final int PORT = 9464;
    private static final LabSpec SPEC = LabSpec.of(NAME, SITES, 1);
    private static Lab lab;
    private static PrometheusScrape prometheus;
    @RegisterExtension
    final KeepLogsOnFailure keepLogs = new KeepLogsOnFailure(() -> lab);

    @BeforeAll
    static void up() throws Exception {
        Lab.down(NAME, PrometheusLabTest::log);
        // The operator address is the site's underlay address, not loopback, so the scraper reaches it.
        lab = Lab.up(SPEC, Preflight.home(), PrometheusLabTest::log,
                s -> "operator: {listen: '" + SPEC.siteUnderlayIp(s) + ":" + PORT + "'}");
        for (int a = 1; a <= SITES; a++) {
            for (int b = 1; b <= SITES; b++) {
                if (a != b) {
                    lab.ping(a, 1, b, 1, 3, 0.2);
                }
            }
        }
        Map<String, String> targets = new LinkedHashMap<>();
        for (int s = 1; s <= SITES; s++) {
            targets.put("site" + s, SPEC.siteUnderlayIp(s) + ":" + PORT);
        }
        prometheus = PrometheusScrape.start(lab, targets, Duration.ofSeconds(1));
    }

    @AfterAll
    static void down() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        Lab.down(NAME, PrometheusLabTest::log);
        String left = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
        assertFalse(left.contains(SPEC.prefix() + "-"), "namespaces left behind: " + left);
        assertFalse(Path.of("/run/ringswitch", NAME).toFile().exists(), "run directory left behind");
    }

    private static void log(String line) {
        System.out.println("[promlb] " + line);
    }

    @Test
    void prometheusScrapesEveryNode() throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<PrometheusScrape.Sample> up = List.of();
        while (System.nanoTime() < end) {
            up = prometheus.query("up{job=\"ringswitch\"}");
            if (up.size() == SITES && up.stream().allMatch(s -> s.value() == 1.0)) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals(SITES, up.size(), "one target per site: " + up);
        assertTrue(up.stream().allMatch(s -> s.value() == 1.0), "every node answered its scrape: " + up);
        assertFalse(prometheus.query("jvm_memory_used_bytes{site=\"site1\"}").isEmpty(), "JVM metrics come with the node's");
    }

    @Test
    void perLinkRttAndRecordsAgreeWithRingswitchStatus() throws Exception {
        // A link's RTT is measured anew every few seconds and its counters move with keepalives: each
        // link must agree in one of the passes (PromQL between two status reads), the link sets in the last.
        Map<String, String> disagreeing = new TreeMap<>();
        Map<String, Boolean> agreed = new TreeMap<>();
        List<String> setProblems = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        do {
            setProblems.clear();
            for (int s = 1; s <= SITES; s++) {
                NodeStatus before = SiteCli.run(lab, s, NodeStatus.class, "status", "--json");
                Map<String, Double> rtt = byPeer(prometheus.query("ringswitch_link_rtt_seconds{site=\"site" + s + "\"}"));
                Map<String, Double> in = byPeer(prometheus.query(
                        "ringswitch_link_records_total{site=\"site" + s + "\",direction=\"in\"}"));
                Map<String, Double> out = byPeer(prometheus.query(
                        "ringswitch_link_records_total{site=\"site" + s + "\",direction=\"out\"}"));
                NodeStatus after = SiteCli.run(lab, s, NodeStatus.class, "status", "--json");
                compare(s, before, after, rtt, in, out, agreed, disagreeing, setProblems);
            }
            if (setProblems.isEmpty() && !agreed.isEmpty() && agreed.values().stream().allMatch(b -> b)) {
                break;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < end);
        assertTrue(agreed.size() >= SITES, "every node has links: " + agreed.keySet());
        assertTrue(setProblems.isEmpty(), "PromQL and ringswitch status list other links: " + setProblems);
        List<String> never = agreed.entrySet().stream().filter(e -> !e.getValue()).map(e -> disagreeing.get(e.getKey())).toList();
        assertTrue(never.isEmpty(), "links on which PromQL and ringswitch status never agreed: " + never);
    }

    /**
     * The link sets must match; a link agrees when each counter from PromQL lies between the two
     * status reads around the query (it was scraped at most a second before the first), and its RTT
     * is one of the two reads' (the same measurement) or within 1 ms of one.
     */
    private static void compare(int site, NodeStatus before, NodeStatus after, Map<String, Double> rtt,
                                Map<String, Double> in, Map<String, Double> out, Map<String, Boolean> agreed,
                                Map<String, String> disagreeing, List<String> setProblems) {
        Map<String, NodeStatus.LinkStatus> was = new TreeMap<>();
        before.links().forEach(l -> was.put(l.address(), l));
        Map<String, NodeStatus.LinkStatus> is = new TreeMap<>();
        after.links().forEach(l -> is.put(l.address(), l));
        if (!is.keySet().equals(rtt.keySet()) || !was.keySet().equals(is.keySet())) {
            setProblems.add("site" + site + " links: status " + is.keySet() + ", PromQL " + rtt.keySet());
            return;
        }
        for (Map.Entry<String, NodeStatus.LinkStatus> e : is.entrySet()) {
            String key = "site" + site + " -> " + e.getKey();
            NodeStatus.LinkStatus a = was.get(e.getKey());
            NodeStatus.LinkStatus b = e.getValue();
            double promMillis = rtt.get(e.getKey()) * 1000;
            boolean rttAgrees = Math.min(Math.abs(promMillis - a.rttMillis()), Math.abs(promMillis - b.rttMillis())) <= 1;
            Double pin = in.get(e.getKey());
            Double pout = out.get(e.getKey());
            // The scrape may predate the first status read by up to a scrape interval: that much traffic (keepalives).
            boolean inAgrees = pin != null && pin <= b.recordsIn() && pin >= a.recordsIn() - 20;
            boolean outAgrees = pout != null && pout <= b.recordsOut() && pout >= a.recordsOut() - 20;
            boolean ok = rttAgrees && inAgrees && outAgrees;
            agreed.merge(key, ok, Boolean::logicalOr);
            if (!ok) {
                disagreeing.put(key, key + ": RTT PromQL " + promMillis + " ms, status " + a.rttMillis() + "/" + b.rttMillis()
                        + " ms; records in PromQL " + pin + ", status " + a.recordsIn() + ".." + b.recordsIn()
                        + "; out PromQL " + pout + ", status " + a.recordsOut() + ".." + b.recordsOut());
            }
        }
    }

    private static Map<String, Double> byPeer(List<PrometheusScrape.Sample> samples) {
        Map<String, Double> out = new TreeMap<>();
        samples.forEach(s -> out.put(s.labels().get("peer"), s.value()));
        return out;
    }
}
