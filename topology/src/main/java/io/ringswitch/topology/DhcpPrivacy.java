package io.ringswitch.topology;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a DHCP exchange stays between the client's port and the switch (issue 16: "DHCP from
 * local ports reaches the controller and nobody else; replies go out of the asking port only"):
 * while host 1 of a site takes its lease, tcpdump on host 2 of the same site counts the DHCP
 * packets ({@value #FILTER}) it sees. A learning switch floods the client's broadcasts (and the
 * server's broadcast replies) to host 2; the switch must not. Needs two hosts per site.
 */
final class DhcpPrivacy {
    static final String FILTER = "udp port 67 or udp port 68";

    /** One site's watch: the client host, the watching host, and the DHCP packets the watcher captured. */
    record Watch(int site, String client, String watcher, long captured) {
    }

    /** What the watchers saw, and the watches that could not run. */
    record Report(List<Watch> watches, List<String> problems) {
        Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("filter", FILTER);
            Map<String, Object> perSite = new LinkedHashMap<>();
            for (Watch w : watches) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("client", w.client());
                m.put("watcher", w.watcher());
                m.put("dhcp_packets_captured", w.captured());
                perSite.put(Integer.toString(w.site()), m);
            }
            out.put("sites", perSite);
            out.put("no_other_host_saw_any", problems.isEmpty() && !watches.isEmpty()
                    && watches.stream().allMatch(w -> w.captured() == 0));
            if (watches.isEmpty()) {
                out.put("skipped", "needs two hosts per site");
            }
            return out;
        }
    }

    /** A DHCP client run that ends with a lease. */
    interface LeaseCall {
        DhcpClients.Lease lease() throws IOException, InterruptedException;
    }

    private final Lab lab;
    private final List<Watch> watches = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    DhcpPrivacy(Lab lab) {
        this.lab = lab;
    }

    /**
     * Runs {@code call} for host {@code (site, host)}; for host 1 of a site with a second host, under
     * a capture on host 2. A capture that fails to start is a problem; the lease is taken anyway.
     */
    DhcpClients.Lease lease(int site, int host, LeaseCall call) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        if (host != 1 || spec.hostsPerSite() < 2) {
            return call.lease();
        }
        HostCapture capture;
        try {
            capture = HostCapture.start(lab, site, 2, FILTER, "dhcp-privacy");
        } catch (IOException e) {
            problems.add("DHCP privacy at site " + site + ": the capture on host 2 did not start: " + e.getMessage());
            return call.lease();
        }
        try (capture) {
            DhcpClients.Lease lease = call.lease();
            // The server's last reply may still be on its way to the client (and, were it flooded, to the watcher).
            Thread.sleep(500);
            long captured = capture.stopAndCount();
            watches.add(new Watch(site, spec.hostNamespace(site, host), capture.host(), captured));
            if (captured > 0) {
                problems.add("DHCP privacy at site " + site + ": " + capture.host() + " captured " + captured
                        + " DHCP packet(s) of " + spec.hostNamespace(site, host) + "'s exchange");
            }
            return lease;
        }
    }

    Report report() {
        return new Report(List.copyOf(watches), List.copyOf(problems));
    }
}
