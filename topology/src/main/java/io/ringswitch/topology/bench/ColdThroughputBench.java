package io.ringswitch.topology.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Throughput right after a cold start (issue 21 item 3): in a 2-site lab, both sites' nodes
 * stopped (SIGTERM) and started again, as after an upgrade; from their hosts' first echo reply
 * on, iperf3 TCP from site 1's host to site 2's for {@code seconds} with 1-s intervals, then at
 * once again (warm, the same nodes). Both nodes restart, not one into a ring that stays up: a
 * frame crosses the sender's and the receiver's node, and a warm peer would hide half of the cold
 * path. Per second it also notes the CPU the nodes' JIT threads used, which shows when the hot
 * path was compiled. With a baseline checkout (a build of {@code RINGSWITCH_BASELINE}), each
 * round runs both builds in turn, alternating which goes first, each in a lab of its own that
 * stays up between rounds. Prints figures; asserts nothing.
 */
public final class ColdThroughputBench {
    private static final Duration FIRST_PING_LIMIT = Duration.ofSeconds(60);

    /** One build: its label, its checkout and the name of its lab. */
    private record Build(String label, Path home, String labName) {
    }

    private final Consumer<String> progress;
    private final int rounds;
    private final int seconds;
    private final int idleSeconds;
    private final List<Build> builds = new ArrayList<>();

    /** As below, the cold run starting at the first ping reply. */
    public ColdThroughputBench(Consumer<String> progress, int rounds, int seconds, String labName, Path baseline) {
        this(progress, rounds, seconds, labName, baseline, 0);
    }

    /**
     * @param idleSeconds how long the nodes idle between the first ping reply and the cold run: a
     *                    diagnosis, which tells what only traffic compiles from what the start
     *                    leaves to do (0: none, the figure issue 21 asks for)
     * @param labName  this build's lab (at most 6 characters); the baseline's is the same with its
     *                 last character replaced by 'b'
     * @param baseline a checkout whose build runs as the baseline, or null for none
     */
    public ColdThroughputBench(Consumer<String> progress, int rounds, int seconds, String labName, Path baseline,
                               int idleSeconds) {
        this.idleSeconds = idleSeconds;
        this.progress = progress;
        this.rounds = rounds;
        this.seconds = seconds;
        builds.add(new Build("this", Preflight.home(), labName));
        if (baseline != null) {
            String name = labName.length() < 6 ? labName + "b" : labName.substring(0, 5) + "b";
            builds.add(new Build("baseline", baseline, name));
        }
    }

    /** The report of every round; the labs are gone when it returns or throws. */
    public String run(boolean json) throws IOException, InterruptedException {
        List<Lab> labs = new ArrayList<>();
        CountDownLatch finished = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> stopFromHook(main, finished), "bench-cold-throughput-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (Build build : builds) {
                Lab.down(build.labName(), progress);
                Lab lab = Lab.up(LabSpec.of(build.labName(), 2, 1), build.home(), progress);
                labs.add(lab);
                lab.ping(1, 1, 2, 1, 3, 0.2);
            }
            List<ColdThroughputReport.Round> all = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < builds.size(); i++) {
                    int which = round % 2 == 1 ? i : builds.size() - 1 - i;
                    ColdThroughputReport.Round r = once(builds.get(which).label(), labs.get(which), round);
                    all.add(r);
                    progress.accept(String.format("%s round %d/%d: first ping %d ms; cold %.0f, warm %.0f Mbit/s, "
                                    + "ratio %.2f (load %.1f -> %.1f); cold per second %s", r.build(), round, rounds,
                            r.firstPingMillis(), r.coldMean(), r.warmMean(), r.ratio(), r.loadBefore(), r.loadAfter(),
                            r.coldMbps().stream().map(v -> String.format("%.0f", v)).toList()));
                }
            }
            ColdThroughputReport report = new ColdThroughputReport(all);
            return json ? new ObjectMapper().writeValueAsString(report.toJson())
                    : report.format();
        } finally {
            try {
                for (Lab lab : labs) {
                    lab.down();
                }
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // The JVM is already shutting down and the hook is running.
                }
            }
        }
    }

    /**
     * On Ctrl-C (or SIGTERM) while the bench runs: the run is interrupted so that its own clean-up
     * takes the labs down (given a minute), then the labs are taken down by name as well, so that no
     * namespace, OVS instance or node outlives the bench.
     */
    private void stopFromHook(Thread main, CountDownLatch finished) {
        if (finished.getCount() == 0) {
            return;
        }
        progress.accept("stopping: taking the bench's labs down");
        main.interrupt();
        try {
            finished.await(60, TimeUnit.SECONDS);
            // Again by name: an interrupt that came while the run's own clean-up waited may have
            // cut it short, and a lab already down is only reported as such.
            for (Build build : builds) {
                Lab.down(build.labName(), progress);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ColdThroughputReport.Round once(String build, Lab lab, int round) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        double loadBefore = load();
        for (int site = 1; site <= 2; site++) {
            lab.stopNode(site, false);
        }
        long t0 = System.currentTimeMillis();
        for (int site = 1; site <= 2; site++) {
            lab.startNode(site);
        }
        long firstPing;
        try (FirstPingReply ping = FirstPingReply.start(spec.hostNamespace(1, 1), spec.hostIp(2, 1), t0)) {
            ping.await(System.nanoTime() + FIRST_PING_LIMIT.toNanos());
            Long ms = ping.millis();
            if (ms == null) {
                throw new IOException(build + ": no echo reply within " + FIRST_PING_LIMIT.toSeconds() + " s of the cold start");
            }
            firstPing = ms;
        }
        long[] pids = new long[2];
        for (int site = 1; site <= 2; site++) {
            pids[site - 1] = nodePid(lab.siteDir(site));
        }
        if (idleSeconds > 0) {
            Thread.sleep(idleSeconds * 1000L);
        }
        List<Long> coldJit = new ArrayList<>();
        String coldReport = iperf(lab, pids, coldJit);
        List<Long> warmJit = new ArrayList<>();
        String warmReport = iperf(lab, pids, warmJit);
        List<Long> rss = new ArrayList<>();
        for (long pid : pids) {
            rss.add(rssKb(pid));
        }
        return new ColdThroughputReport.Round(build, round, loadBefore, load(), firstPing, IperfIntervals.parse(coldReport),
                IperfIntervals.parse(warmReport), coldJit, warmJit, IperfIntervals.retransmits(coldReport),
                IperfIntervals.retransmits(warmReport), rss);
    }

    /**
     * One iperf3 TCP run from site 1's host to site 2's, 1-s intervals, with the server's
     * (receiver's) report; its JSON. Meanwhile the JIT threads' CPU milliseconds of both nodes, per second, into {@code jit}.
     */
    private String iperf(Lab lab, long[] pids, List<Long> jit) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        String serverIp = spec.hostIp(2, 1);
        Process server = new ProcessBuilder(Shell.inNetns(spec.hostNamespace(2, 1), "iperf3", "-s", "-1", "-J", "-B", serverIp))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> sampleJit(pids, jit, running), "bench-cold-jit");
        sampler.start();
        try {
            Shell.Result result = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                Thread.sleep(100);
                result = Shell.run(Duration.ofSeconds(seconds + 30), Shell.inNetns(spec.hostNamespace(1, 1), "iperf3", "-c",
                        serverIp, "-t", Integer.toString(seconds), "-i", "1", "-J", "--get-server-output"));
                if (result.ok() || !result.output().contains("Connection refused")) {
                    break;
                }
            }
            IperfIntervals.parse(result.output());
            return result.output();
        } finally {
            running.set(false);
            sampler.join(2000);
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            server.waitFor();
        }
    }

    /** Once a second while {@code running}: the JIT threads' CPU of both nodes used since the last look. */
    private static void sampleJit(long[] pids, List<Long> into, AtomicBoolean running) {
        long last = jitMillis(pids);
        long next = System.nanoTime() + 1_000_000_000L;
        while (running.get()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(Math.min(wait, 50_000_000L));
                continue;
            }
            long now = jitMillis(pids);
            synchronized (into) {
                into.add(now - last);
            }
            last = now;
            next += 1_000_000_000L;
        }
    }

    private static long jitMillis(long[] pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += pid > 0 ? JitThreadClock.cpuMillis(pid) : 0;
        }
        return sum;
    }

    /** The pid of the node whose config is in {@code siteDir} (its command line names it), -1 when none runs. */
    private static long nodePid(Path siteDir) {
        String config = siteDir.resolve("node.yaml").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(config)).orElse(false))
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().map(ProcessHandle::pid).orElse(-1L);
    }

    /** VmRSS in kB of a process, -1 when unknown. */
    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static double load() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
