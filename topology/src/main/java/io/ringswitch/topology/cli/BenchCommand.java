package io.ringswitch.topology.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.MulticastRun;
import io.ringswitch.topology.Ping;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.VethBaseline;
import io.ringswitch.topology.bench.ColdThroughputBench;
import io.ringswitch.topology.bench.PeerBench;
import io.ringswitch.topology.bench.PeerCatalog;
import io.ringswitch.topology.bench.PeerReport;
import io.ringswitch.topology.bench.PeerTable;
import io.ringswitch.topology.bench.OneNodeColdStart;
import io.ringswitch.topology.bench.SwitchBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringswitch bench}: RTT and TCP throughput between two hosts over RingSwitch, next to the
 * same two kinds of namespace joined directly by a veth pair, in one run. Prints figures; asserts
 * nothing. With {@code --peers}, RingSwitch next to a raw veth pair and other VPNs, one after
 * another ({@link PeerBench}); with {@code --switch}, switch-mode figures ({@link SwitchBench}); the
 * subcommand {@code relays} measures relayed links ({@link RelayBenchCommand}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = RelayBenchCommand.class,
        description = {"Measure RTT and iperf3 TCP throughput between two sites over RingSwitch, next to a direct veth pair.",
                "With --peers: also RingSwitch in plaintext (ringswitch-plain), wireguard-go, tinc, OpenVPN, n2n and OVS userspace "
                        + "VXLAN, each alone between two namespaces (TCP x1 and x4, RTT, UDP loss, the daemons' CPU seconds per Gbit, "
                        + "daemon memory), installing their Debian packages where missing."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Option(names = "--seconds", defaultValue = "10", description = "Length of each iperf3 run (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--pings", defaultValue = "50", description = "Echo requests per RTT figure (default ${DEFAULT-VALUE}).")
    int pings;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Option(names = "--peers", description = "Measure RingSwitch next to other VPNs, one after another.")
    boolean peers;

    @Option(names = "--only", paramLabel = "LIST",
            description = "With --peers: the systems to measure, comma-separated, of ${COMPLETION-CANDIDATES} "
                    + "(RingSwitch always runs).", completionCandidates = PeerNames.class)
    String only;

    @Option(names = "--udp-mbps", defaultValue = "200", description = "With --peers: the rate of the UDP run (default ${DEFAULT-VALUE}).")
    int udpMbps;

    @Option(names = "--switch", description = "Switch-mode figures in a six-site lab: hops and RTT before and after an on-demand "
            + "link, and the time from a cold start to the first ping reply.")
    boolean switchMode;

    @Option(names = "--cold-runs", defaultValue = "3", description = "With --switch: cold starts to time (default ${DEFAULT-VALUE}).")
    int coldRuns;

    @Option(names = "--cold-only", description = "With --switch: only the cold starts (one node restarted into a ring that "
            + "is up, then all six at once).")
    boolean coldOnly;

    @Option(names = "--lab-name", description = "With --switch or --cold-throughput: the lab's name (default bsw and bct; "
            + "at most 6 characters; with a baseline, its lab's name ends in b instead).")
    String labName;

    @Option(names = "--cold-throughput", description = "Throughput right after a cold start: both nodes of a 2-site lab "
            + "restarted, iperf3 TCP in 1-s intervals from the first ping reply on, then again warm (issue 21 item 3). "
            + "With RINGSWITCH_BASELINE set, that checkout's build too, alternating, in a lab of its own.")
    boolean coldThroughput;

    @Option(names = "--rounds", defaultValue = "3", description = "With --cold-throughput: cold starts per build "
            + "(default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--idle-before", defaultValue = "0", description = "With --cold-throughput: seconds the nodes idle "
            + "between the first ping reply and the cold run (a diagnosis; default ${DEFAULT-VALUE}).")
    int idleBefore;

    @Option(names = "--multicast-rate", defaultValue = "20M", description = "With --switch: the multicast sender's rate, "
            + "as iperf takes it (default ${DEFAULT-VALUE}).")
    String multicastRate;

    @Option(names = "--multicast-buffer", description = "With --switch: the socket receive buffer the members' iperf asks for "
            + "(iperf's -w, e.g. 2M); default: the hosts' own (208 KB).")
    String multicastBuffer;

    /** The system names for {@code --only}'s help. */
    static final class PeerNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return PeerCatalog.ids().iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        Console console = new Console();
        if (peers) {
            return peers(console);
        }
        if (coldThroughput) {
            int length = commandSpec.commandLine().getParseResult().hasMatchedOption("--seconds") ? seconds : 8;
            try {
                System.out.println(new ColdThroughputBench(console, rounds, length, labName == null ? "bct" : labName,
                        PeerCatalog.baselineHome(), idleBefore).run(json));
            } catch (InterruptedException e) {
                console.accept("stopped; the bench's labs are taken down");
                return 130;
            }
            return 0;
        }
        if (switchMode) {
            SwitchBench.Result result = new SwitchBench(console, coldRuns, multicastRate, multicastBuffer,
                    labName == null ? "bsw" : labName, coldOnly).run();
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(result.toJson()));
            } else {
                System.out.println();
                OneNodeColdStart.Result one = result.oneNode();
                System.out.printf("one node (site %d) restarted cold into a ring that is up, to its host's first reply from "
                        + "site %d: median %d ms with its host's address known, %d ms with the node's bound-hosts file removed "
                        + "(bound through the directory), %d ms with a fresh address (runs %s)%n", one.site(),
                        one.peer(), one.knownMedianMillis(), one.forgottenMedianMillis(), one.freshMedianMillis(),
                        one.runs().stream().map(r -> r.kind() + " " + r.firstReplyMillis()).toList());
                OneNodeColdStart.Run last = one.runs().get(one.runs().size() - 1);
                System.out.println("  timeline of its last start (ms from starting the JVM; load " + last.loadBefore() + "):");
                last.timeline().forEach((step, ms) -> System.out.printf("    %6d  %s%n", ms, step));
                System.out.printf("cold start of all 6 nodes to the first ping reply: median %d ms (runs %s)%n",
                        result.coldStart().medianMillis(), result.coldStart().firstReplyMillis());
                if (result.shortcut() == null) {
                    return 0;
                }
                SwitchBench.Shortcut s = result.shortcut();
                System.out.printf("frames into and out of RingSwitch's processes (TAP reads/writes, packet-ins/outs): "
                        + "%.1f per ARP request for a known address, %.1f per DHCP exchange%n",
                        result.crossings().arp().total(), result.crossings().dhcp().total());
                System.out.printf("sites %d <-> %d, opposite on a 6-site ring without shortcuts%n", s.siteA(), s.siteB());
                System.out.printf("  before the on-demand link  %.2f hops a message, RTT %.3f ms%n", s.hopsBefore(), s.rttBeforeMs());
                System.out.printf("  after  (formed %d ms into the traffic)  %.2f hops, RTT %.3f ms%n", s.linkAfterMillis(),
                        s.hopsAfter(), s.rttAfterMs());
                MulticastRun.Result mc = result.multicast();
                System.out.printf("multicast %s at %sbit/s from site 1, 10 s: %s; frames over the ring at sites without members: %s%n",
                        mc.group(), mc.rate(), mc.members().stream().map(m -> String.format(
                                "site %d %.2f %% loss (%d/%d; %d dropped at the host's full socket buffer)",
                                m.site(), m.lossPercent(), m.received(), m.sent(), m.hostSocketDrops())).toList(),
                        mc.nonMemberFramesFromRing());
            }
            return 0;
        }
        if (only != null) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "--only needs --peers");
        }
        LabSpec spec = new LabSpec("bench", 2, 1, null, null, null, null, null, null, null, null, null, null, null).checked();
        Lab lab = Lab.up(spec, Preflight.home(), console);
        Ping overlayPing;
        double overlayMbps;
        Map<String, Long> rssKb = new LinkedHashMap<>();
        try {
            lab.ping(1, 1, 2, 1, 3, 0.2);
            // Throughput first: it also warms the JIT, so the RTT below is the steady-state one.
            overlayMbps = lab.iperf(1, 1, 2, 1, seconds);
            console.accept(String.format("RingSwitch TCP %.1f Mbit/s", overlayMbps));
            overlayPing = lab.ping(1, 1, 2, 1, pings, 0.1);
            console.accept(String.format("RingSwitch RTT avg %.3f ms over %d pings", overlayPing.rttAvgMs(), overlayPing.sent()));
            for (int s = 1; s <= 2; s++) {
                rssKb.put("node_site" + s, rss(lab.siteDir(s), "node"));
                rssKb.put("ovs_vswitchd_site" + s, rss(lab.siteDir(s), "ovs-vswitchd"));
            }
        } finally {
            lab.down();
        }
        VethBaseline.Result veth = VethBaseline.measure(spec, pings, seconds, console);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ringswitch", Map.of("rtt_ms_avg", overlayPing.rttAvgMs(), "ping_received", overlayPing.received(),
                    "ping_sent", overlayPing.sent(), "iperf_mbps", overlayMbps));
            out.put("veth", Map.of("rtt_ms_avg", veth.ping().rttAvgMs(), "iperf_mbps", veth.iperfMbps()));
            out.put("rss_kb", rssKb);
            System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
            System.out.println();
            System.out.printf("%-28s %12s %14s%n", "path (MTU " + spec.overlayMtu() + ")", "RTT avg ms", "TCP Mbit/s");
            System.out.printf("%-28s %12.3f %14.1f%n", "RingSwitch, 2 sites", overlayPing.rttAvgMs(), overlayMbps);
            System.out.printf("%-28s %12.3f %14.1f%n", "direct veth pair", veth.ping().rttAvgMs(), veth.iperfMbps());
            System.out.println("memory (VmRSS, after iperf3): " + rssKb + " kB");
        }
        return 0;
    }

    private int peers(Console console) throws Exception {
        List<String> ids;
        try {
            ids = PeerCatalog.parseOnly(only);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), e.getMessage());
        }
        PeerReport report;
        try {
            report = new PeerBench(seconds, pings, udpMbps, console).run(ids);
        } catch (InterruptedException e) {
            console.accept("stopped (" + e.getMessage() + "); what it made is removed");
            return 130;
        }
        if (json) {
            System.out.println(report.toJson());
        } else {
            System.out.println();
            System.out.print(PeerTable.format(report));
        }
        return report.ringswitchMeasured() ? 0 : 1;
    }

    /** VmRSS in kB of the process whose pid file or state names it, -1 when unknown. */
    private static long rss(Path siteDir, String what) {
        try {
            long pid;
            if (what.equals("node")) {
                pid = ProcessHandle.allProcesses()
                        .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(siteDir.resolve("node.yaml").toString())).orElse(false))
                        .findFirst().map(ProcessHandle::pid).orElse(-1L);
            } else {
                pid = Long.parseLong(Files.readString(siteDir.resolve(what + ".pid")).trim());
            }
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
