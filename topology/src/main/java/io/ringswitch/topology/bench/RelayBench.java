package io.ringswitch.topology.bench;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.NatTour;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import io.ringswitch.topology.SiteEdge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench relays}: the IPOP paper's Table 3 (relay setup time, latency and throughput through
 * a relay), which the paper left empty. A lab of six sites: 1, 2, 5 and 6 open (relay candidates),
 * 3 behind a random-port NAT and 4 behind a port-preserving NAT, a pair that can never link
 * directly and so must be relayed. For each relay choice ({@code nat.relayChoice} latency, then
 * stability) a fresh lab; in it, {@code runs} times, the nodes of sites 3 and 4 are restarted and
 * the bench times the relayed 3→4 link's setup and the first host ping, then the median RTT of 20
 * host pings and 5 s of iperf3 TCP. A background iperf3 between the hosts of sites 2 and 1 keeps the
 * nodes of those two sites (the bootstrap sites, whose links to the restarted nodes are the oldest)
 * busy, so that a latency-aware choice has a reason to prefer 5 or 6 while a stability-aware one may
 * not. When the JVM is stopped (Ctrl-C, SIGTERM) a shutdown hook interrupts the run and waits until
 * the lab is gone.
 */
public final class RelayBench {
    /** The lab's name (namespaces {@code rs-relayb-*}). */
    public static final String LAB = "relayb";
    /** The relayed pair: the random-port NAT's site reaches the port-preserving NAT's one. */
    public static final int FROM = 3;
    public static final int TO = 4;
    /** How long a run waits for the relayed link before it counts as failed. */
    static final Duration RELAY_LIMIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int PINGS = 20;
    private static final int IPERF_SECONDS = 5;
    private static final Pattern RTT = Pattern.compile("time=([0-9.]+) ms");

    private final Consumer<String> progress;
    private final int runs;
    private final int loadMbps;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;

    /**
     * @param progress where progress lines go (the command line prints them on stderr)
     * @param runs     restarts of the relayed pair per relay choice
     * @param loadMbps rate of the background iperf3 from site 2's host to site 1's host; 0 for none
     */
    public RelayBench(Consumer<String> progress, int runs, int loadMbps) {
        if (runs < 1 || loadMbps < 0) {
            throw new IllegalArgumentException("runs must be at least 1 and the load rate at least 0");
        }
        this.progress = progress;
        this.runs = runs;
        this.loadMbps = loadMbps;
    }

    /** The lab for one relay choice: see the class comment; one host per site, overlay MTU 1300, encrypted. */
    public static LabSpec spec(String relayChoice) {
        return LabSpec.of(LAB, 6, 1).withOverlayMtu(1300).withEdge(FROM, SiteEdge.RANDOM)
                .withEdge(TO, SiteEdge.PORT_PRESERVING).withEncrypted(true).withRelayChoice(relayChoice);
    }

    /** What the background load is, in words, for the report. */
    public static String loadDescription(int loadMbps) {
        return loadMbps == 0 ? "none"
                : "iperf3 TCP at " + loadMbps + " Mbit/s from site 2's host to site 1's host for the whole run: the nodes of "
                + "sites 1 and 2 (the bootstrap sites, whose links to the restarted nodes are the oldest) are busy; sites 5 "
                + "and 6 are idle";
    }

    /** Measures every relay choice in turn; the lab is removed after each, also when a run fails or is stopped. */
    public RelayReport run() throws IOException, InterruptedException {
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> stopFromHook(main), "bench-relays-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        List<RelayReport.Row> rows = new ArrayList<>();
        try {
            for (String choice : LabSpec.RELAY_CHOICES) {
                rows.add(choice(choice));
                progress.accept(String.join("; ", RelayReport.summary(rows)));
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down and the hook is running.
            }
        }
        return new RelayReport("6 sites: 1, 2, 5, 6 open; 3 random-port NAT; 4 port-preserving NAT; 1 host each, overlay MTU "
                + "1300, encrypted", loadDescription(loadMbps), runs, List.copyOf(rows));
    }

    private RelayReport.Row choice(String choice) throws IOException, InterruptedException {
        LabSpec spec = spec(choice);
        progress.accept("relayChoice " + choice + ": bringing up lab " + spec.name() + " (sites 1, 2, 5, 6 open; 3 "
                + spec.edge(FROM) + "; 4 " + spec.edge(TO) + ")");
        Lab.down(spec.name(), progress);
        Lab lab = Lab.up(spec, Preflight.home(), progress, Lab.Readiness.RUNNING, Duration.ofSeconds(180));
        BackgroundLoad load = null;
        boolean failed = true;
        try {
            NatTour.awaitJoined(lab, Duration.ofSeconds(90), progress);
            load = BackgroundLoad.start(lab, loadMbps, progress);
            List<RelayReport.Run> done = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                if (stopping) {
                    throw new InterruptedException("stopped");
                }
                if (load != null) {
                    load.keepRunning();
                }
                RelayReport.Run r;
                try {
                    r = measure(lab, choice, run);
                } catch (IOException e) {
                    if (stopping) {
                        throw new InterruptedException("stopped");
                    }
                    r = new RelayReport.Run(run, false, null, "none", null, null, null, null, "the run failed: " + e.getMessage());
                }
                done.add(r);
                progress.accept(String.format("relayChoice %s run %d/%d: %s", choice, run, runs, describe(r)));
            }
            failed = done.stream().anyMatch(r -> !r.relayed());
            return RelayReport.Row.of(choice, done);
        } finally {
            if (load != null) {
                load.stop();
            }
            if (failed) {
                keepLogs(lab, choice);
            }
            progress.accept("relayChoice " + choice + ": removing the lab");
            lab.down();
        }
    }

    /** Keeps the lab's logs, for a choice in which a run failed or that was stopped, in a directory of that choice's own. */
    private void keepLogs(Lab lab, String choice) {
        Path saved = lab.saveLogs();
        Path keep = saved.resolveSibling(saved.getFileName() + "-" + choice);
        try {
            Cleanup.deleteTree(keep);
            Files.move(saved, keep);
            progress.accept("relayChoice " + choice + ": a run failed or was cut short; node logs kept in " + keep);
        } catch (Exception e) {
            progress.accept("relayChoice " + choice + ": a run failed or was cut short; node logs kept in " + saved);
        }
    }

    /** Restarts sites 3 and 4 and measures the relayed link that forms between them. */
    private RelayReport.Run measure(Lab lab, String choice, int run) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        progress.accept("relayChoice " + choice + " run " + run + "/" + runs + ": restarting the nodes of sites " + FROM + " and " + TO);
        for (int s : List.of(FROM, TO)) {
            lab.stopNode(s, false);
            Files.deleteIfExists(lab.siteDir(s).resolve("near-neighbours"));
            lab.exec(spec.hostNamespace(s, 1), Duration.ofSeconds(10), "ip", "neigh", "flush", "all");
        }
        lab.startNode(FROM);
        lab.startNode(TO);
        long upBy = System.nanoTime() + RELAY_LIMIT.toNanos();
        while (lab.health(FROM).live().isEmpty() || lab.health(TO).live().isEmpty()) {
            if (System.nanoTime() > upBy) {
                return new RelayReport.Run(run, false, null, "none", null, null, null, null,
                        "the restarted nodes were not both up within " + RELAY_LIMIT.toSeconds() + " s: "
                                + lab.health(FROM).why() + " / " + lab.health(TO).why());
            }
            Thread.sleep(POLL.toMillis());
        }
        long t0 = System.nanoTime();
        long t0Millis = System.currentTimeMillis();
        String peer = lab.health(TO).live().map(NodeStatus::address).orElseThrow();
        Integer via = null;
        Long setupMs = null;
        String lastPath = "none";
        try (FirstPingReply first = FirstPingReply.start(spec.hostNamespace(FROM, 1), spec.hostIp(TO, 1), t0Millis)) {
            long deadline = t0 + RELAY_LIMIT.toNanos();
            while (System.nanoTime() < deadline) {
                Optional<NodeStatus> st = lab.health(FROM).live();
                if (st.isPresent()) {
                    Optional<NodeStatus.LinkStatus> link = st.get().links().stream().filter(l -> l.address().equals(peer)).findFirst();
                    lastPath = link.map(NodeStatus.LinkStatus::kind).orElse(st.get().connected() ? "ring" : "none");
                    if (link.isPresent() && link.get().kind().equals("relay")) {
                        setupMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                        via = NatTour.relaySite(lab, link.get().path());
                        break;
                    }
                }
                Thread.sleep(POLL.toMillis());
            }
            if (setupMs != null) {
                first.await(deadline);
            }
            Long firstMs = first.millis();
            List<String> notes = new ArrayList<>();
            if (setupMs == null) {
                notes.add("no relayed link within " + RELAY_LIMIT.toSeconds() + " s (last path " + lastPath
                        + "); this run's figures are of that path and not counted");
            }
            Double latency = medianRtt(lab, notes);
            Double mbps = throughput(lab, notes);
            return new RelayReport.Run(run, setupMs != null, via, lastPath, setupMs, firstMs, latency, mbps,
                    notes.isEmpty() ? null : String.join("; ", notes));
        }
    }

    private Double medianRtt(Lab lab, List<String> notes) throws IOException {
        LabSpec spec = lab.spec();
        Shell.Result r = lab.exec(spec.hostNamespace(FROM, 1), Duration.ofSeconds(60), "ping", "-n", "-c", Integer.toString(PINGS),
                "-i", "0.05", "-W", "2", spec.hostIp(TO, 1));
        List<Double> rtts = rtts(r.output());
        if (rtts.isEmpty()) {
            notes.add("no ping reply of " + PINGS);
            return null;
        }
        if (rtts.size() < PINGS) {
            notes.add(rtts.size() + " of " + PINGS + " pings answered");
        }
        return Math.round(RelayReport.median(rtts) * 1000) / 1000.0;
    }

    private Double throughput(Lab lab, List<String> notes) throws InterruptedException {
        try {
            return Math.round(lab.iperf(FROM, 1, TO, 1, IPERF_SECONDS) * 10) / 10.0;
        } catch (IOException e) {
            notes.add("iperf3 failed: " + e.getMessage());
            return null;
        }
    }

    /** The RTTs, ms, of the replies in ping's output. */
    static List<Double> rtts(String pingOutput) {
        List<Double> out = new ArrayList<>();
        Matcher m = RTT.matcher(pingOutput);
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)));
        }
        return out;
    }

    /** One run in a progress line. */
    static String describe(RelayReport.Run r) {
        String head = r.relayed() ? "relayed via site " + (r.via() == null ? "?" : r.via()) + " after " + r.setupMs() + " ms"
                : "FAILED (path " + r.lastPath() + ")";
        return head + ", first ping " + (r.firstPingMs() == null ? "-" : r.firstPingMs() + " ms") + ", RTT median "
                + (r.latencyMs() == null ? "-" : r.latencyMs() + " ms") + ", TCP "
                + (r.throughputMbps() == null ? "-" : r.throughputMbps() + " Mbit/s") + (r.note() == null ? "" : "; " + r.note());
    }

    /** The shutdown hook: interrupts the run, waits for it to remove the lab, and removes it itself if it does not. */
    private void stopFromHook(Thread main) {
        stopping = true;
        if (finished.getCount() == 0) {
            return;
        }
        progress.accept("stopping: removing lab " + LAB);
        main.interrupt();
        try {
            if (!finished.await(90, TimeUnit.SECONDS)) {
                Lab.down(LAB, progress);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
