package io.ringswitch.topology.bench;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.MulticastRun;
import io.ringswitch.topology.Ping;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.SiteHealth;
import io.ringswitch.topology.Shell;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Switch-mode figures in a six-site lab without Symphony shortcuts (so that sites opposite on the
 * ring have no link of their own): hops and RTT between two opposite sites before and after an
 * on-demand link forms, multicast loss from one sender to three member sites, and the time from
 * a cold start of every node to the first ping reply between two sites; and the cold start a user
 * meets, one site's node restarted into a ring that is up ({@link OneNodeColdStart}). Prints
 * figures; asserts nothing.
 */
public final class SwitchBench {
    private static final Pattern FIRST_REPLY = Pattern.compile("\\[(\\d+\\.\\d+)] \\d+ bytes from");
    private static final int PINGS = 20;

    /** Hops and RTT of echo traffic between two opposite sites, before and after their on-demand link. */
    public record Shortcut(int siteA, int siteB, double hopsBefore, double rttBeforeMs, double hopsAfter,
                           double rttAfterMs, long linkAfterMillis) {
    }

    /** From starting every node (none running, no former neighbours or bound hosts, hosts' ARP caches empty) to the first reply. */
    public record ColdStart(List<Long> firstReplyMillis, long medianMillis) {
    }

    /** The figures; with {@code coldOnly} only the cold starts (the others null). */
    public record Result(Shortcut shortcut, ColdStart coldStart, MulticastRun.Result multicast,
                         UserspaceCrossings.Result crossings, OneNodeColdStart.Result oneNode) {
        public Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("cold_start_one_node", oneNode);
            out.put("userspace_crossings_per_exchange", crossings);
            out.put("multicast", multicast);
            out.put("on_demand_shortcut", shortcut);
            out.put("cold_start_first_ping", coldStart);
            return out;
        }
    }

    private final Consumer<String> progress;
    private final int coldRuns;
    private final String multicastRate;
    /** The members' iperf socket receive buffer ({@code -w}), or null for the hosts' default. */
    private final String multicastBuffer;
    private final String labName;
    private final boolean coldOnly;

    public SwitchBench(Consumer<String> progress, int coldRuns, String multicastRate) {
        this(progress, coldRuns, multicastRate, null);
    }

    /** The same, the multicast members' iperf asking for a receive buffer of {@code multicastBuffer} (null: the default). */
    public SwitchBench(Consumer<String> progress, int coldRuns, String multicastRate, String multicastBuffer) {
        this(progress, coldRuns, multicastRate, multicastBuffer, "bsw", false);
    }

    /**
     * @param labName  the lab's name (two benches on one machine need two)
     * @param coldOnly only the cold starts: no crossings, shortcut or multicast runs
     */
    public SwitchBench(Consumer<String> progress, int coldRuns, String multicastRate, String multicastBuffer,
                       String labName, boolean coldOnly) {
        this.labName = labName;
        this.coldOnly = coldOnly;
        this.progress = progress;
        this.coldRuns = coldRuns;
        this.multicastRate = multicastRate;
        this.multicastBuffer = multicastBuffer;
    }

    public Result run() throws IOException, InterruptedException {
        LabSpec spec = LabSpec.of(labName, 6, 1).withShortcuts(0);
        Lab.down(spec.name(), progress);
        Lab lab = Lab.up(spec, Preflight.home(), progress);
        try {
            if (coldOnly) {
                OneNodeColdStart.Result one = new OneNodeColdStart(lab, progress).measure(2, 5, coldRuns);
                ColdStart cold = coldStart(lab, 1, 4);
                progress.accept("node logs of the last cold start: " + lab.saveLogs());
                return new Result(null, cold, null, null, one);
            }
            UserspaceCrossings.Result crossings = UserspaceCrossings.measure(lab, progress);
            Shortcut shortcut = shortcut(lab);
            MulticastRun.Result multicast = MulticastRun.runOnHosts(lab, MulticastRun.GROUP, 1,
                    List.of(new MulticastRun.Host(2, 1), new MulticastRun.Host(4, 1), new MulticastRun.Host(6, 1)), 10,
                    multicastRate, multicastBuffer);
            progress.accept("multicast at " + multicastRate + "bit/s for 10 s from site 1 to sites 2, 4, 6: "
                    + multicast.members() + "; frames from the ring at sites 3, 5: " + multicast.nonMemberFramesFromRing());
            int restarted = shortcut.siteA() == 1 ? shortcut.siteB() : shortcut.siteA();
            OneNodeColdStart.Result one = new OneNodeColdStart(lab, progress)
                    .measure(restarted, restarted == shortcut.siteA() ? shortcut.siteB() : shortcut.siteA(), coldRuns);
            ColdStart cold = coldStart(lab, shortcut.siteA(), shortcut.siteB());
            progress.accept("node logs of the last cold start: " + lab.saveLogs());
            return new Result(shortcut, cold, multicast, crossings, one);
        } finally {
            lab.down();
        }
    }

    private Shortcut shortcut(Lab lab) throws IOException, InterruptedException {
        List<NodeStatus> ring = lab.health().stream().map(h -> h.live().orElseThrow())
                .sorted(Comparator.comparing(NodeStatus::address)).toList();
        int a = site(ring.get(0));
        int b = site(ring.get(3));
        await(() -> !linked(lab, a, b), Duration.ofSeconds(20));
        await(() -> lab.ping(a, 1, b, 1, 1, 0.5).lossless(), Duration.ofSeconds(10));
        Thread.sleep(2500);
        long relayed = relayed(lab);
        Ping before = lab.ping(a, 1, b, 1, PINGS, 0.05);
        Thread.sleep(2500);
        double hopsBefore = 1 + (relayed(lab) - relayed) / (2.0 * before.received());
        progress.accept(String.format("sites %d and %d (opposite, no link): %.2f hops a message, RTT %.3f ms", a, b,
                hopsBefore, before.rttAvgMs()));
        long start = System.nanoTime();
        lab.iperf(a, 1, b, 1, 2);
        await(() -> linked(lab, a, b), Duration.ofSeconds(15));
        long linkMs = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(2500);
        relayed = relayed(lab);
        Ping after = lab.ping(a, 1, b, 1, PINGS, 0.05);
        Thread.sleep(2500);
        double hopsAfter = 1 + (relayed(lab) - relayed) / (2.0 * after.received());
        progress.accept(String.format("after the on-demand link (%d ms after the traffic began): %.2f hops, RTT %.3f ms",
                linkMs, hopsAfter, after.rttAvgMs()));
        return new Shortcut(a, b, round(hopsBefore), round(before.rttAvgMs()), round(hopsAfter), round(after.rttAvgMs()),
                linkMs);
    }

    private ColdStart coldStart(Lab lab, int a, int b) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        List<Long> runs = new ArrayList<>();
        for (int run = 1; run <= coldRuns; run++) {
            for (int s = 1; s <= spec.sites(); s++) {
                lab.stopNode(s, true);
                Files.deleteIfExists(lab.siteDir(s).resolve("near-neighbours"));
                Files.deleteIfExists(lab.siteDir(s).resolve("bound-hosts"));
                lab.exec(spec.hostNamespace(s, 1), Duration.ofSeconds(10), "ip", "neigh", "flush", "all");
            }
            long t0 = System.currentTimeMillis();
            for (int s = 1; s <= spec.sites(); s++) {
                lab.startNode(s);
            }
            long ms = firstReply(spec.hostNamespace(a, 1), spec.hostIp(b, 1), t0);
            runs.add(ms);
            progress.accept("cold start " + run + "/" + coldRuns + ": first reply site " + a + " -> site " + b + " after "
                    + (ms < 0 ? "none within 60 s" : ms + " ms") + " (6 nodes started at once)");
            if (run < coldRuns) {
                lab.awaitReady(Duration.ofSeconds(90));
            }
        }
        List<Long> sorted = runs.stream().sorted().toList();
        return new ColdStart(runs, sorted.get(sorted.size() / 2));
    }

    /**
     * Pings every 50 ms for up to 60 s (not with -w: ping then stops at the first "host
     * unreachable" while ARP fails; line-buffered, so that each reply is read as it comes) and
     * returns the wall-clock milliseconds from {@code t0} to the first reply, -1 if none came.
     */
    private static long firstReply(String namespace, String target, long t0) throws IOException, InterruptedException {
        Process ping = new ProcessBuilder(Shell.inNetns(namespace, "stdbuf", "-oL", "ping", "-D", "-n", "-i", "0.05",
                "-c", "1200", target)).redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(ping.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Matcher m = FIRST_REPLY.matcher(line);
                if (m.find()) {
                    return (long) (Double.parseDouble(m.group(1)) * 1000) - t0;
                }
            }
            return -1;
        } finally {
            ping.destroy();
            ping.waitFor();
        }
    }

    private static long relayed(Lab lab) {
        return lab.health().stream().flatMap(h -> h.live().stream()).mapToLong(st -> st.ring().relayed()).sum();
    }

    private static boolean linked(Lab lab, int from, int to) {
        SiteHealth target = lab.health(to);
        String peer = target.live().orElseThrow().address();
        return lab.health(from).live().orElseThrow().links().stream().anyMatch(l -> l.address().equals(peer));
    }

    private static int site(NodeStatus status) {
        return Integer.parseInt(status.name().substring("site".length()));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException | InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // a status file being rewritten, or a node not up yet: look again
            }
            Thread.sleep(200);
        }
        throw new IOException("timed out after " + limit.toSeconds() + " s");
    }
}
