package io.ringswitch.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.topology.internet.InternetLog;
import io.ringswitch.topology.internet.InternetServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The full-tunnel demo (issue 17, {@code demo --scenario full-tunnel}): sites 1 and 2 gateways, site
 * 3 a full-tunnel client, site 4 plain. The client's host fetches a page by name through the
 * tunnel; a capture on the client's uplink counts every frame that is not the node's own underlay
 * traffic for the whole run, while leaks are attempted on purpose, the chosen gateway is killed
 * during a transfer, both gateways go down and one comes back; IPv6 is dropped by the default
 * policy, then carried once the client's node restarts with {@code ipv6: carry}; last, throughput
 * through a gateway next to the direct uplink.
 */
public final class FullTunnelTour {
    public static final int CLIENT = 3;
    static final int PLAIN = 4;
    private static final Duration FIRST_PAGE = Duration.ofSeconds(60);
    private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(30);
    private static final Duration RESUME_LIMIT = Duration.ofSeconds(90);
    private static final int TRANSFER_SECONDS = 12;
    private static final int THROUGHPUT_SECONDS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the tour saw; {@link #toJson} is what {@code --json} prints. */
    public record Report(Map<String, Object> results, List<String> problems, List<String> next) {
        public boolean ok() {
            return problems.isEmpty();
        }

        public String toJson() throws IOException {
            Map<String, Object> out = new LinkedHashMap<>(results);
            out.put("ok", ok());
            out.put("problems", problems);
            out.put("next", next);
            return JSON.writeValueAsString(out);
        }
    }

    private FullTunnelTour() {
    }

    /** The demo's lab: 4 sites, one host each; 1 and 2 gateways, 3 a full-tunnel client. */
    public static LabSpec spec(String name) {
        return new LabSpec(name, 4, 1, null, null, null, null, null, null, null, null, List.of(1, 2), List.of(CLIENT), null)
                .checked();
    }

    public static Report run(Lab lab, Consumer<String> progress) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        TunnelProbes probe = new TunnelProbes(lab, CLIENT);
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> next = new ArrayList<>();
        progress.accept("leak watch: tcpdump on " + Underlay.wanPort(CLIENT) + " in " + spec.wanNamespace()
                + ", keeping all but " + UplinkLeaks.allowed(spec.siteUnderlayIp(CLIENT), Lab.NODE_PORT));
        try (UplinkLeaks leaks = UplinkLeaks.start(spec, CLIENT, lab.runDir().resolve("client-uplink.pcap"))) {
            TunnelProbes.Fetch first = probe.fetchUntil(FIRST_PAGE);
            out.put("page", first.toJson());
            if (!first.ok()) {
                problems.add("the client host fetched no page within " + FIRST_PAGE.toSeconds() + " s: " + first.error());
                next.add("read " + lab.siteDir(CLIENT).resolve("node.log") + " for the chosen gateway and "
                        + lab.siteDir(1).resolve("node.log") + " for the gateway's NAT; check "
                        + "'ovs-ofctl -O OpenFlow13 dump-flows unix:" + lab.siteDir(CLIENT).resolve("rsbr.mgmt") + "'");
                out.put("uplink_leaks", leaks.stop());
                return new Report(out, problems, next);
            }
            int chosen = gatewayOf(spec, lastSource(lab, "http"));
            out.put("http_source_seen", lastSource(lab, "http").orElse(null));
            out.put("dns_source_seen", lastSource(lab, "dns").orElse(null));
            if (chosen == 0) {
                problems.add("the internet server saw " + lastSource(lab, "http").orElse("no request")
                        + ", not a gateway's address (10.99.0.1 or 10.99.0.2)");
            }
            if (gatewayOf(spec, lastSource(lab, "dns")) == 0) {
                problems.add("the internet DNS server saw " + lastSource(lab, "dns").orElse("no query")
                        + " as the source, not a gateway's address: the lookup did not go through the tunnel");
                next.add("check the DNS responder of site " + CLIENT + " (cookie DNS flows) and the gateways' DNAT to "
                        + LabSpec.INTERNET_DNS_IP);
            }
            TunnelProbes.Fetch dropped = probe.fetchIpv6(Duration.ofSeconds(2));
            out.put("ipv6_with_ipv6_drop", Map.of("curl_worked", dropped.ok(), "default_route", probe.ipv6DefaultRoute()));
            if (dropped.ok()) {
                problems.add("with ipv6: drop, curl -6 from the client's host reached the internet");
            }
            out.put("leak_attempts_with_gateways", probe.attemptLeaks());
            if (chosen != 0) {
                int other = chosen == 1 ? 2 : 1;
                progress.accept("failover: iperf3 through gateway site " + chosen + ", killing its node after 3 s");
                TunnelProbes.Transfer transfer = probe.startTransfer(TRANSFER_SECONDS);
                Thread.sleep(3000);
                transfer.mark();
                lab.stopNode(chosen, true);
                TunnelProbes.Fetch after = probe.fetchUntil(FAILOVER_LIMIT);
                Map<String, Object> failover = new LinkedHashMap<>();
                failover.put("killed_gateway_site", chosen);
                failover.put("new_connections_ms", after.ok() ? after.millis() : null);
                failover.put("source_after", lastSource(lab, "http").orElse(null));
                failover.put("open_transfer", transfer.finish().toJson());
                out.put("failover", failover);
                if (!after.ok()) {
                    problems.add("no new connection through gateway site " + other + " within " + FAILOVER_LIMIT.toSeconds() + " s");
                    next.add("read " + lab.siteDir(CLIENT).resolve("node.log") + " for the gateway probes and failover");
                } else if (after.millis() > 5000) {
                    problems.add("failover took " + after.millis() + " ms, over the 5 s target");
                }
                progress.accept("every gateway down: stopping gateway site " + other);
                lab.stopNode(other, false);
                Map<String, Object> down = new LinkedHashMap<>();
                boolean anyWorked = probe.anyFetchWorks(Duration.ofSeconds(4));
                down.put("curl_worked", anyWorked);
                down.put("leak_attempts", probe.attemptLeaks());
                down.put("leaks_so_far", leaks.count());
                if (anyWorked) {
                    problems.add("with every gateway down a page still loaded: traffic left some other way");
                }
                progress.accept("gateway site " + chosen + " back: waiting for traffic to resume by itself");
                lab.startNode(chosen);
                TunnelProbes.Fetch resumed = probe.fetchUntil(RESUME_LIMIT);
                down.put("resumed_ms_after_gateway_start", resumed.ok() ? resumed.millis() : null);
                out.put("all_gateways_down", down);
                if (!resumed.ok()) {
                    problems.add("traffic did not resume within " + RESUME_LIMIT.toSeconds() + " s after gateway site "
                            + chosen + " restarted");
                    next.add("check that site " + chosen + "'s gateway record is back in the DHT ("
                            + lab.siteDir(chosen).resolve("node.log") + ")");
                }
            }
            out.put("ipv6_carried", carryIpv6(lab, probe, problems, progress));
            Map<String, Object> throughput = new LinkedHashMap<>();
            throughput.put("through_gateway_mbps", round(probe.iperf(spec.hostNamespace(CLIENT, 1), THROUGHPUT_SECONDS)));
            throughput.put("direct_uplink_mbps", round(probe.iperf(spec.siteNamespace(PLAIN), THROUGHPUT_SECONDS)));
            out.put("throughput", throughput);
            Thread.sleep(500);
            UplinkLeaks.Count count = leaks.stop();
            out.put("uplink_leaks", count);
            if (count.total() > 0) {
                problems.add(count.total() + " frame(s) left the client's uplink that were not the node's own traffic: " + count);
                next.add("read them: tcpdump -e -n -r " + leaks.file() + "; compare with the flows of table 0 and 1 of site "
                        + CLIENT);
            }
        }
        return new Report(out, problems, next);
    }

    /**
     * The client's node restarted with {@code ipv6: carry}: its host's {@code curl -6} to the
     * internet's IPv6 address, the default route the site's router advertisements gave it, and the
     * source the server saw (a gateway's IPv6 address, NAT66).
     */
    private static Map<String, Object> carryIpv6(Lab lab, TunnelProbes probe, List<String> problems, Consumer<String> progress)
            throws IOException, InterruptedException {
        progress.accept("IPv6: restarting the client's node with ipv6: carry");
        lab.stopNode(CLIENT, false);
        lab.carryIpv6(CLIENT, true);
        lab.startNode(CLIENT);
        Map<String, Object> out = new LinkedHashMap<>();
        TunnelProbes.Fetch v4 = probe.fetchUntil(RESUME_LIMIT);
        TunnelProbes.Fetch v6 = v4.ok() ? probe.fetchIpv6(Duration.ofSeconds(30)) : v4;
        Optional<String> source = lastSource(lab, "http");
        out.put("url", "http://[" + LabSpec.INTERNET_IPV6 + "]/");
        out.put("ok", v6.ok());
        out.put("ms", v6.millis());
        out.put("default_route", probe.ipv6DefaultRoute());
        out.put("source_seen", source.orElse(null));
        if (!v6.ok()) {
            problems.add("with ipv6: carry, curl -6 from the client's host failed: " + v6.error());
        } else if (lab.spec().gateways().stream().noneMatch(site -> sameAddress(lab.spec().siteUnderlayIp6(site), source))) {
            problems.add("the internet saw " + source.orElse("nothing") + " over IPv6, not a gateway's IPv6 address");
        }
        return out;
    }

    private static boolean sameAddress(String address, Optional<String> seen) {
        try {
            return seen.isPresent() && java.net.InetAddress.getByName(address).equals(java.net.InetAddress.getByName(seen.get()));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The source the internet server logged last for requests of {@code kind} ({@code http} or {@code dns}). */
    private static Optional<String> lastSource(Lab lab, String kind) throws IOException {
        List<InternetLog.Entry> all = lab.internetRequests();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).kind().equals(kind)) {
                return Optional.of(all.get(i).source());
            }
        }
        return Optional.empty();
    }

    /** Which gateway site has underlay address {@code source}; 0 for none. */
    static int gatewayOf(LabSpec spec, Optional<String> source) {
        for (int site : spec.gateways()) {
            if (source.isPresent() && source.get().equals(spec.siteUnderlayIp(site))) {
                return site;
            }
        }
        return 0;
    }

    private static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10) / 10.0;
    }

    /** The page the server sends, for a check that a fetch got it and not an error page. */
    static boolean isPage(String body) {
        return body.contains(InternetServer.PAGE);
    }

    /** Mbit/s received by the server in an iperf3 {@code -J} report, NaN when it holds an error. */
    static double receivedMbps(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node.has("error") ? Double.NaN : node.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e6;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
