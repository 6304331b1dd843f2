package io.ringswitch.topology;

import io.ringswitch.overlay.api.NodeStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The demo's switch-mode part, after the ping matrix: every host takes a lease from a standard DHCP
 * client (dhclient on odd sites, busybox udhcpc on even ones) and a leased address answers across
 * the ring; the nodes' ARP counters (answered locally against broadcast); an IPv6 ping between two
 * sites; TCP between two hosts left at MTU 1500. Then what issue 16 asks of a switch that lives in
 * Open vSwitch, each part a class of its own that undoes what it set up: no other host of a site
 * sees a host's DHCP exchange ({@link DhcpPrivacy}); multicast from site 1 to members on two sites
 * reaches every member and no host that did not join ({@link MulticastPruning}); multicast at
 * 20 Mbit/s to members at three sites loses under 0.5 % ({@link MulticastAtRate}); a host that
 * sends from another's MAC or address or announces it is stopped and the victim keeps answering
 * ({@link SpoofProbe}); a broadcast storm leaves pings between other sites under 1 % loss
 * ({@link StormProbe}). Parts that the lab is too small for say so and pass.
 */
public final class SwitchTour {
    private static final Duration CMD = Duration.ofSeconds(30);

    /** What the switch-mode part saw. */
    public record Report(List<DhcpClients.Lease> leases, Ping leasedPing, Map<String, Long> arp, Ping ipv6Ping,
                         String ipv6From, String ipv6To, double tcpAt1500Mbps, long tooBigAnswered, long superFramesRecut,
                         MulticastRun.Result multicast, DhcpPrivacy.Report dhcpPrivacy, MulticastPruning.Report pruning,
                         MulticastAtRate.Report multicastAtRate, SpoofProbe.Report spoofing, StormProbe.Report storm,
                         ArpProbe.Report arpProbe,
                         List<String> problems) {
        public Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> dhcp = new LinkedHashMap<>();
            dhcp.put("leases", leases.stream().map(l -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("host", l.host());
                m.put("client", l.client());
                m.put("ip", l.ip() + "/" + l.prefix());
                m.put("mtu", l.mtu());
                m.put("ms", l.millis());
                return m;
            }).toList());
            dhcp.put("leased_address_ping", Map.of("sent", leasedPing.sent(), "received", leasedPing.received()));
            out.put("dhcp", dhcp);
            out.put("arp", arp);
            out.put("arp_known_addresses", arpProbe == null ? Map.of("skipped", "did not run") : arpProbe.toJson());
            out.put("ipv6_ping", Map.of("from", ipv6From, "to", ipv6To, "sent", ipv6Ping.sent(), "received",
                    ipv6Ping.received()));
            Map<String, Object> tcp = new LinkedHashMap<>();
            tcp.put("mbps", Double.isNaN(tcpAt1500Mbps) ? null : Math.round(tcpAt1500Mbps * 10) / 10.0);
            tcp.put("packet_too_big_answered", tooBigAnswered);
            tcp.put("super_frames_recut", superFramesRecut);
            out.put("tcp_hosts_at_mtu_1500", tcp);
            if (multicast != null) {
                Map<String, Object> mc = new LinkedHashMap<>();
                mc.put("group", multicast.group());
                mc.put("sender_site", multicast.senderSite());
                mc.put("seconds", multicast.seconds());
                mc.put("rate", multicast.rate());
                mc.put("datagrams_sent", multicast.sent());
                mc.put("members", multicast.members());
                mc.put("frames_from_ring_at_sites_without_members", multicast.nonMemberFramesFromRing());
                mc.put("sender_frames_to_members", multicast.framesToMembers());
                mc.put("sender_copies_sent", multicast.copiesSent());
                mc.put("every_member_got_every_packet_and_no_other_site_any", multicast.clean());
                out.put("multicast", mc);
            }
            out.put("dhcp_privacy", dhcpPrivacy.toJson());
            out.put("multicast_pruning", pruning == null ? Map.of("skipped", "needs two sites") : pruning.toJson());
            out.put("multicast_20mbit", multicastAtRate == null ? Map.of("skipped", "needs two sites")
                    : multicastAtRate.toJson());
            out.put("spoofing", spoofing == null ? Map.of("skipped", "did not run") : spoofing.toJson());
            out.put("storm", storm == null ? Map.of("skipped", "did not run") : storm.toJson());
            out.put("problems", problems);
            return out;
        }
    }

    private SwitchTour() {
    }

    public static Report run(Lab lab, Consumer<String> progress) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        List<String> problems = new ArrayList<>();
        int far = spec.sites() / 2 + 1;

        Map<String, Long> switchAtStart = SwitchCounters.total(lab);
        ArpProbe.Report arpProbe = null;
        try {
            arpProbe = ArpProbe.run(lab, progress);
            problems.addAll(arpProbe.problems());
        } catch (IOException e) {
            problems.add("ARP probe: " + e.getMessage());
        }
        List<DhcpClients.Lease> leases = new ArrayList<>();
        DhcpPrivacy privacy = new DhcpPrivacy(lab);
        for (int s = 1; s <= spec.sites(); s++) {
            for (int h = 1; h <= spec.hostsPerSite(); h++) {
                int site = s;
                int host = h;
                try {
                    DhcpClients.Lease lease = privacy.lease(s, h, () -> site % 2 == 1
                            ? DhcpClients.dhclient(lab, site, host, Duration.ofSeconds(30))
                            : DhcpClients.udhcpc(lab, site, host, Duration.ofSeconds(30)));
                    leases.add(lease);
                    progress.accept(String.format("DHCP: %s got %s/%d (MTU %d) from %s in %d ms", lease.host(), lease.ip(),
                            lease.prefix(), lease.mtu(), lease.client(), lease.millis()));
                } catch (IOException e) {
                    problems.add("DHCP on " + spec.hostNamespace(s, h) + ": " + e.getMessage());
                }
            }
        }
        DhcpPrivacy.Report dhcpPrivacy = privacy.report();
        problems.addAll(dhcpPrivacy.problems());
        progress.accept("DHCP privacy: DHCP packets captured on host 2 while host 1 leased, per site: "
                + (dhcpPrivacy.watches().isEmpty() ? "not watched (needs two hosts per site)" : dhcpPrivacy.watches().stream()
                .map(w -> "site " + w.site() + " " + w.captured()).toList()));
        if (leases.stream().map(DhcpClients.Lease::ip).distinct().count() != leases.size()) {
            problems.add("an address was leased twice: " + leases);
        }
        Ping leasedPing = new Ping(0, 0, Double.NaN);
        String target = leases.stream().filter(l -> l.host().equals(spec.hostNamespace(far, 1))).map(DhcpClients.Lease::ip)
                .findFirst().orElse(null);
        if (target != null) {
            leasedPing = ping(lab, spec.hostNamespace(1, 1), target, "ping");
            progress.accept("ping " + spec.hostIp(1, 1) + " -> leased " + target + ": " + leasedPing.received() + "/"
                    + leasedPing.sent());
            if (!leasedPing.lossless()) {
                problems.add("ping to the leased address " + target + " lost " + (leasedPing.sent() - leasedPing.received()));
            }
        }

        String v6From = "fd00:77::1:1";
        String v6To = "fd00:77::" + far + ":1";
        lab.exec(spec.hostNamespace(1, 1), CMD, "ip", "addr", "add", v6From + "/64", "dev", "eth0", "nodad").orThrow();
        lab.exec(spec.hostNamespace(far, 1), CMD, "ip", "addr", "add", v6To + "/64", "dev", "eth0", "nodad").orThrow();
        Ping v6 = ping(lab, spec.hostNamespace(1, 1), v6To, "ping", "-6");
        progress.accept("IPv6: ping " + v6From + " -> " + v6To + " (site 1 -> site " + far + "): " + v6.received() + "/"
                + v6.sent());
        if (!v6.lossless()) {
            problems.add("IPv6 ping " + v6From + " -> " + v6To + " lost " + (v6.sent() - v6.received()));
        }

        Map<String, Long> before = counters(lab);
        double mbps = Double.NaN;
        setMtu(lab, 1, 1, 1500);
        setMtu(lab, far, 1, 1500);
        try {
            mbps = lab.iperf(1, 1, far, 1, 3);
            progress.accept(String.format("TCP between hosts left at MTU 1500 (site 1 -> site %d): %.1f Mbit/s", far, mbps));
            if (!(mbps > 0)) {
                problems.add("TCP between hosts at MTU 1500 moved nothing");
            }
        } catch (IOException e) {
            problems.add("TCP between hosts at MTU 1500: " + e.getMessage());
        } finally {
            setMtu(lab, 1, 1, spec.overlayMtu());
            setMtu(lab, far, 1, spec.overlayMtu());
        }
        Thread.sleep(2500);
        Map<String, Long> after = counters(lab);

        MulticastRun.Result multicast = null;
        MulticastPruning.Report pruning = null;
        MulticastAtRate.Report atRate = null;
        if (spec.sites() >= 2) {
            try {
                pruning = MulticastPruning.run(lab, 5, "1M", problems);
                multicast = pruning.run();
                progress.accept("multicast " + multicast.group() + " from site 1 to " + members(multicast)
                        + "; frames from the ring at sites without members: " + multicast.nonMemberFramesFromRing()
                        + "; packets to the group captured by hosts that did not join: " + pruning.watches().stream()
                        .map(w -> w.host() + " " + w.captured()).toList());
            } catch (IOException e) {
                problems.add("multicast run: " + e.getMessage());
            }
            try {
                atRate = MulticastAtRate.run(lab, problems);
                progress.accept("multicast at " + MulticastAtRate.RATE + "bit/s from site 1 to " + members(atRate.run()));
            } catch (IOException e) {
                problems.add("multicast at " + MulticastAtRate.RATE + "bit/s: " + e.getMessage());
            }
        }
        SpoofProbe.Report spoofing = null;
        try {
            spoofing = SpoofProbe.run(lab, progress, problems);
        } catch (IOException e) {
            problems.add("spoofing: " + e.getMessage());
        }
        StormProbe.Report storm = null;
        try {
            storm = StormProbe.run(lab, progress, problems);
        } catch (IOException e) {
            problems.add("storm: " + e.getMessage());
        }

        // Since the lab came up (status counters), and during this tour (deltas).
        Map<String, Long> switchNow = SwitchCounters.total(lab);
        Map<String, Long> arp = new LinkedHashMap<>();
        arp.put("answered_in_datapath_total", switchNow.getOrDefault(SwitchCounters.ARP_ANSWERED_IN_DATAPATH, 0L));
        arp.put("answered_by_controller_total", switchNow.getOrDefault(SwitchCounters.ARP_ANSWERED_BY_CONTROLLER, 0L));
        arp.put("flooded_total", switchNow.getOrDefault("arp_flooded", 0L));
        arp.put("rate_limited_total", switchNow.getOrDefault("arp_rate_limited", 0L));
        arp.put("answered_in_datapath", SwitchCounters.delta(SwitchCounters.ARP_ANSWERED_IN_DATAPATH, switchAtStart, switchNow));
        arp.put("answered_by_controller", SwitchCounters.delta(SwitchCounters.ARP_ANSWERED_BY_CONTROLLER, switchAtStart,
                switchNow));
        progress.accept("ARP over all switches since the lab came up: " + arp.get("answered_in_datapath_total")
                + " requests answered by responder flows in OVS, " + arp.get("answered_by_controller_total")
                + " by the controller (first request for an address), " + arp.get("flooded_total")
                + " flooded (address unknown), " + arp.get("rate_limited_total") + " rate-limited");
        return new Report(List.copyOf(leases), leasedPing, arp, v6, v6From, v6To, mbps,
                after.get("too_big") - before.get("too_big"), after.get("recut") - before.get("recut"), multicast, dhcpPrivacy,
                pruning, atRate, spoofing, storm, arpProbe, problems);
    }

    private static List<String> members(MulticastRun.Result r) {
        return r.members().stream().map(m -> String.format("s%dh%d %d/%d (%.2f %% loss)", m.site(), m.host(), m.received(),
                m.sent(), m.lossPercent())).toList();
    }

    private static Ping ping(Lab lab, String ns, String target, String... command) throws IOException {
        List<String> c = new ArrayList<>(List.of(command));
        c.addAll(List.of("-n", "-q", "-c", "5", "-i", "0.2", "-W", "2", target));
        return Ping.parse(lab.exec(ns, CMD, c.toArray(String[]::new)).output());
    }

    private static void setMtu(Lab lab, int site, int host, int mtu) throws IOException {
        lab.exec(lab.spec().hostNamespace(site, host), CMD, "ip", "link", "set", "dev", "eth0", "mtu",
                Integer.toString(mtu)).orThrow();
    }

    private static Map<String, Long> counters(Lab lab) {
        Map<String, Long> sum = new LinkedHashMap<>();
        for (String k : List.of("too_big", "recut")) {
            sum.put(k, 0L);
        }
        for (SiteHealth site : lab.health()) {
            site.status().ifPresent(st -> {
                NodeStatus.FrameStats f = st.frames();
                Map<String, Long> sw = st.controller() == null ? Map.of() : st.controller().switchCounters();
                sum.merge("too_big", sw.getOrDefault("too_big_answered_ipv4", 0L) + sw.getOrDefault("too_big_answered_ipv6", 0L)
                        + f.tcpTooBigAnswered(), Long::sum);
                sum.merge("recut", f.superFramesRecut(), Long::sum);
            });
        }
        return sum;
    }
}
