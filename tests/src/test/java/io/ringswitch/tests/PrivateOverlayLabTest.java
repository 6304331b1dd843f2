package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.PrivateTour;
import io.ringswitch.topology.Shell;
import io.ringswitch.topology.SiteHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Private overlays bootstrapped from a public one (issue 19, the IPOP paper §4.4), the lab of
 * {@code topology/labs/private.yaml}: sites 1 and 2 are the public ring; sites 3 and 4 are group
 * alpha, sites 5 and 6 group beta, each group with its own CA. A group's sites are given only the
 * public ring's endpoints; they find each other through its DHT and form their own ring. Each
 * group's hosts reach each other, and no host reaches another group's host or a public site's.
 * The lab and its ping matrix are the private demo's ({@link PrivateTour}).
 */
class PrivateOverlayLabTest {
    private static final LabSpec SPEC = PrivateTour.spec("prve2e");
    private static final List<String> PUBLIC_ENDPOINTS = PrivateTour.publicEndpoints(SPEC);
    private static Lab lab;

    @org.junit.jupiter.api.extension.RegisterExtension
    final KeepLogsOnFailure keepLogs = new KeepLogsOnFailure(() -> lab);

    @BeforeAll
    static void up() throws Exception {
        Lab.down(SPEC.name(), PrivateOverlayLabTest::log);
        long start = System.nanoTime();
        lab = Lab.up(SPEC, Preflight.home(), PrivateOverlayLabTest::log);
        log("the public ring and both private rings formed " + (System.nanoTime() - start) / 1_000_000 + " ms after start");
        // The rings are consistent once one member found another; the other finds it at its next read.
        PrivateTour.awaitMembersFound(lab, PrivateOverlayLabTest::log);
    }

    @AfterAll
    static void down() throws Exception {
        Lab.down(SPEC.name(), PrivateOverlayLabTest::log);
        String left = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
        assertTrue(!left.contains(SPEC.prefix() + "-"), "namespaces left behind: " + left);
    }

    /**
     * The demo's tour of the lab: each member's links stay in its group and it found the others
     * through the public ring, and in the ping matrix every host reaches its own group's hosts and
     * no other group's or public site's.
     */
    @Test
    void eachGroupsHostsReachEachOtherAndNobodyElse() throws Exception {
        PrivateTour.Report report = PrivateTour.run(lab, PrivateOverlayLabTest::log);
        report.lines().forEach(PrivateOverlayLabTest::log);
        assertEquals(List.of(), report.problems());
        assertEquals(4, report.pings().stream().filter(PrivateTour.Cell::reachExpected).count(), "two pairs per group, both ways");
        assertEquals(4, report.members().size());
        for (List<Integer> ring : SPEC.rings().subList(1, 3)) {
            Crawl.Result crawl = lab.crawl(ring);
            assertEquals(1.0, crawl.consistency(), "ring of " + ring + ", off: " + crawl.inconsistent());
        }
    }

    @Test
    void theGroupsNeverLinkAcrossAndFindOnlyTheirOwnMembers() {
        Map<Integer, NodeStatus> status = new java.util.HashMap<>();
        for (int site = 1; site <= 6; site++) {
            status.put(site, lab.nodeStatus(site).orElseThrow());
        }
        for (List<Integer> group : SPEC.rings().subList(1, 3)) {
            Set<String> own = new HashSet<>();
            Set<String> ownEndpoints = new HashSet<>();
            for (int site : group) {
                own.add(status.get(site).address());
                ownEndpoints.add(SPEC.siteUnderlayIp(site) + ":" + Lab.NODE_PORT);
            }
            for (int site : group) {
                NodeStatus st = status.get(site);
                List<String> peers = st.links().stream().map(NodeStatus.LinkStatus::address).toList();
                log("site " + site + " (" + SPEC.privateGroup(site) + "): private links " + peers + ", refused "
                        + st.security().refused() + ", private overlay " + st.privateOverlay());
                assertFalse(peers.isEmpty(), "site " + site + " has links in its group");
                assertTrue(own.containsAll(peers), "site " + site + " linked outside its group: " + peers);
                NodeStatus.PrivateOverlayStatus p = st.privateOverlay();
                assertNotNull(p, "site " + site + " runs a private overlay");
                assertTrue(p.key().startsWith("private:lab-" + SPEC.name() + "-" + SPEC.privateGroup(site) + ":"), p.key());
                assertTrue(p.publicJoined() && p.publicLinks() > 0, "joined the public ring: " + p);
                assertEquals(group.size() - 1, p.members().size(), "members found: " + p.members());
                for (String member : p.members()) {
                    assertTrue(own.contains(member.split(" ")[0]), "found outside its group: " + member);
                }
                assertTrue(ownEndpoints.containsAll(p.bootstraps()), "joined through " + p.bootstraps());
                assertEquals(0L, st.security().refused().getOrDefault("certificate-other-ca", 0L),
                        "nobody of another CA even tried: " + st.security().refused());
            }
        }
        Crawl.Result publicRing = SiteHealth.publicCrawl(SPEC, lab.health());
        assertEquals(6, publicRing.nodes(), "the public ring holds the public sites and the private sites' public nodes");
        assertEquals(1.0, publicRing.consistency(), "off: " + publicRing.inconsistent());
        // The public sites carry the groups' discovery but hold none of their private ring addresses.
        Set<String> privateAddresses = new HashSet<>();
        for (int site = 3; site <= 6; site++) {
            privateAddresses.add(status.get(site).address());
        }
        for (int site = 1; site <= 2; site++) {
            List<String> peers = status.get(site).links().stream().map(NodeStatus.LinkStatus::address).toList();
            assertTrue(peers.stream().noneMatch(privateAddresses::contains), "public site " + site + " linked a private ring: "
                    + peers);
            assertTrue(peers.size() >= 3, "public site " + site + " links the private sites' public nodes: " + peers);
        }
    }

    @Test
    void thePrivateSitesWereGivenOnlyThePublicRingsEndpoints() throws Exception {
        List<String> configs = new ArrayList<>();
        for (int site = 3; site <= 6; site++) {
            Path file = lab.siteDir(site).resolve("node.yaml");
            NodeConfig config = NodeConfig.load(file);
            configs.add(site + ": bootstrap " + config.bootstrap() + ", public " + config.publicRing().bootstrap());
            assertEquals(List.of(), config.bootstrap(), "site " + site + " knows no member of its group");
            assertEquals(PUBLIC_ENDPOINTS, config.publicRing().bootstrap(), "site " + site);
        }
        log("configs: " + configs);
    }

    private static void log(String line) {
        System.err.println("[prve2e] " + line);
    }
}
