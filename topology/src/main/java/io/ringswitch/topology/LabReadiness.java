package io.ringswitch.topology;

import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.overlay.api.NodeStatus;
import java.util.List;
import java.util.Optional;

/**
 * Whether a lab is ready, and if not what it waits for: every running node up, controlling its
 * bridge and joined, and each of the lab's rings (the public one and each private group's)
 * consistent by a crawl. Sites with a deliberately bad credential only have to run.
 */
final class LabReadiness {
    private final LabSpec spec;
    private final NodeProcesses nodes;

    LabReadiness(LabSpec spec, NodeProcesses nodes) {
        this.spec = spec;
        this.nodes = nodes;
    }

    /** What {@code readiness} still waits for among {@code sites}; empty when nothing. */
    String notReady(List<SiteHealth> sites, Lab.Readiness readiness) {
        for (SiteHealth site : sites) {
            int s = site.site();
            if (!nodes.running(s)) {
                continue;
            }
            if (!site.up()) {
                return "site " + s + " is not up (" + site.why() + ")";
            }
            if (!spec.member(s)) {
                // A node with a bad certificate is expected to stay outside the ring: it only has to run.
                continue;
            }
            NodeStatus st = site.status().orElseThrow();
            if (st.controller().switches().isEmpty()) {
                return "the bridge of site " + s + " has not connected to its controller";
            }
            if (st.controller().overlayPort() < 0) {
                return "the bridge of site " + s + " has not reported its overlay port";
            }
            if (!st.connected() && (readiness == Lab.Readiness.RING || !spec.edge(s).routed())) {
                return "site " + s + " has not joined the ring";
            }
        }
        if (readiness == Lab.Readiness.RUNNING) {
            return "";
        }
        // Each ring on its own: the public one, and each private group's (issue 19).
        List<List<Integer>> rings = spec.rings();
        for (int i = 0; i < rings.size(); i++) {
            List<Integer> ring = rings.get(i);
            String why = i == 0 && rings.size() > 1 ? notConsistentPublic(sites)
                    : notConsistent(sites.stream().filter(site -> ring.contains(site.site())).toList());
            if (!why.isEmpty()) {
                return rings.size() == 1 ? why : why + " (ring of sites " + ring + ")";
            }
        }
        return "";
    }

    /**
     * The public ring of a lab with private groups: the public sites' own rings and the private
     * sites' public ring nodes (from their status's private overlay section) together.
     */
    private String notConsistentPublic(List<SiteHealth> sites) {
        for (SiteHealth site : sites) {
            Optional<NodeStatus> live = site.live();
            if (live.isPresent() && spec.privateGroup(site.site()) != null
                    && (live.get().privateOverlay() == null || !live.get().privateOverlay().publicJoined())) {
                return "site " + site.site() + " has not joined the public ring";
            }
        }
        Crawl.Result crawl = SiteHealth.publicCrawl(spec, sites);
        return crawl.consistency() < 1.0 ? "the public ring is not consistent yet (crawl " + crawl.consistency() + ", off: "
                + crawl.inconsistent() + ")" : "";
    }

    private String notConsistent(List<SiteHealth> sites) {
        // With bad credentials in the lab, the ring may hold the valid nodes alone (the bad ones were
        // refused) or, when a node lets a bad one in, all of them: either ring is formed, and the
        // security demo reports which it is.
        Crawl.Result crawl = SiteHealth.crawl(members(sites));
        if (crawl.consistency() < 1.0 && SiteHealth.crawl(sites).consistency() == 1.0) {
            return "";
        }
        if (crawl.consistency() < 1.0) {
            return "the ring is not consistent yet (crawl " + crawl.consistency() + ", off: " + crawl.inconsistent() + ")";
        }
        return "";
    }

    /** Of {@code sites}, those whose node has a valid credential: the ones the ring should hold. */
    List<SiteHealth> members(List<SiteHealth> sites) {
        return sites.stream().filter(site -> spec.member(site.site())).toList();
    }
}
