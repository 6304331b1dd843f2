package io.ringswitch.topology;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.Crawl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The demo's tour of a running lab: ping between every pair of hosts at different sites, check
 * that ARP resolved each address to the right MAC across the overlay, and measure TCP throughput
 * between the first hosts of the first two sites.
 */
public final class Tour {

    /** What the tour saw. */
    public record Report(int sites, Ping ping, int pairs, int lossyPairs, int arpResolved, int arpChecked,
                         double iperfMbps, double crawlConsistency, long ringForwarded, double linksPerNode,
                         List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }

        public Map<String, Object> toJson() {
            Map<String, Object> ping = new LinkedHashMap<>();
            ping.put("sent", this.ping.sent());
            ping.put("received", this.ping.received());
            ping.put("rtt_ms_avg", round(this.ping.rttAvgMs()));
            Map<String, Object> arp = new LinkedHashMap<>();
            arp.put("checked", arpChecked);
            arp.put("resolved", arpResolved);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("sites", sites);
            out.put("pairs", pairs);
            out.put("ping", ping);
            out.put("arp", arp);
            out.put("iperf_mbps", round(iperfMbps));
            Map<String, Object> ring = new LinkedHashMap<>();
            ring.put("crawl_consistency", crawlConsistency);
            ring.put("links_per_node", round(linksPerNode));
            ring.put("messages_relayed_by_intermediate_nodes", ringForwarded);
            out.put("ring", ring);
            out.put("ok", ok());
            out.put("problems", problems);
            return out;
        }

        private static Double round(double v) {
            return Double.isNaN(v) ? null : Math.round(v * 100) / 100.0;
        }
    }

    private Tour() {
    }

    public static Report run(Lab lab, int pingCount, int iperfSeconds, Consumer<String> progress)
            throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        List<String> problems = new ArrayList<>();
        Ping total = new Ping(0, 0, Double.NaN);
        int pairs = 0;
        int lossy = 0;
        int arpChecked = 0;
        int arpResolved = 0;
        for (int a = 1; a <= spec.sites(); a++) {
            for (int b = 1; b <= spec.sites(); b++) {
                if (a == b) {
                    continue;
                }
                for (int h = 1; h <= spec.hostsPerSite(); h++) {
                    pairs++;
                    Ping ping = lab.ping(a, h, b, h, pingCount, 0.2);
                    total = total.plus(ping);
                    progress.accept(String.format("ping %s -> %s: %d/%d, avg %.3f ms", spec.hostIp(a, h),
                            spec.hostIp(b, h), ping.received(), ping.sent(), ping.rttAvgMs()));
                    if (!ping.lossless()) {
                        lossy++;
                        problems.add("ping " + spec.hostIp(a, h) + " -> " + spec.hostIp(b, h) + " lost "
                                + (ping.sent() - ping.received()) + " of " + ping.sent());
                    }
                    arpChecked++;
                    Optional<String> mac = lab.neighbourMac(a, h, b, h);
                    if (mac.isPresent() && mac.get().equals(spec.hostMac(b, h))) {
                        arpResolved++;
                    } else {
                        problems.add("ARP at " + spec.hostIp(a, h) + " for " + spec.hostIp(b, h) + " gave "
                                + mac.orElse("nothing") + ", expected " + spec.hostMac(b, h));
                    }
                }
            }
        }
        progress.accept("ARP: " + arpResolved + "/" + arpChecked + " addresses resolved to the right MAC across the overlay");
        double mbps = Double.NaN;
        if (iperfSeconds > 0) {
            progress.accept("iperf3 TCP " + spec.hostIp(1, 1) + " -> " + spec.hostIp(2, 1) + " for " + iperfSeconds + " s");
            try {
                mbps = lab.iperf(1, 1, 2, 1, iperfSeconds);
                progress.accept(String.format("iperf3: %.1f Mbit/s", mbps));
                if (!(mbps > 0)) {
                    problems.add("iperf3 measured no throughput");
                }
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        List<SiteHealth> health = lab.health();
        Crawl.Result crawl = SiteHealth.crawl(health);
        if (crawl.consistency() < 1.0) {
            problems.add("crawl consistency " + crawl.consistency() + " (off: " + crawl.inconsistent() + ")");
        }
        long relayed = 0;
        long links = 0;
        for (SiteHealth site : health) {
            if (site.up()) {
                NodeStatus st = site.status().orElseThrow();
                links += st.links().size();
                relayed += st.ring().relayed();
            } else {
                problems.add("site " + site.site() + " is down: " + site.why());
            }
        }
        progress.accept(String.format("ring: crawl consistency %.3f, %.1f links per node, %d messages relayed by intermediate nodes",
                crawl.consistency(), links / (double) spec.sites(), relayed));
        return new Report(spec.sites(), total, pairs, lossy, arpResolved, arpChecked, mbps, crawl.consistency(), relayed,
                links / (double) spec.sites(), problems);
    }
}
