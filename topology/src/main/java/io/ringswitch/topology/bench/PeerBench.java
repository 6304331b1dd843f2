package io.ringswitch.topology.bench;

import io.ringswitch.topology.Ping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@code bench --peers}: installs what the systems need, then for each system in turn brings
 * it up, measures it (iperf3 TCP with one and four streams and the daemons' CPU time over the
 * first, ping, iperf3 UDP at a fixed rate, the daemons' memory) and removes it before the next one starts. A system that fails is removed too
 * and its row says why; the others still run. When the JVM is stopped (Ctrl-C, SIGTERM) a shutdown
 * hook interrupts the run and waits until what it made is gone.
 */
public final class PeerBench {
    private static final String TAG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final int seconds;
    private final int pings;
    private final int udpMbps;
    private final Consumer<String> progress;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile PeerSystem current;
    private volatile boolean removing;

    /**
     * @param seconds  length of each iperf3 run
     * @param pings    echo requests, 0.1 s apart, for the RTT
     * @param udpMbps  the sending rate of the UDP run
     * @param progress where progress lines go (the command line prints them on stderr)
     */
    public PeerBench(int seconds, int pings, int udpMbps, Consumer<String> progress) {
        if (seconds < 1 || pings < 1 || udpMbps < 1) {
            throw new IllegalArgumentException("seconds, pings and the UDP rate must be at least 1");
        }
        this.seconds = seconds;
        this.pings = pings;
        this.udpMbps = udpMbps;
        this.progress = progress;
    }

    /** Measures the systems {@code ids} (from {@link PeerCatalog#parseOnly}) one after another. */
    public PeerReport run(List<String> ids) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IOException("bench --peers needs root (network namespaces, TAP devices, apt-get): run as root");
        }
        String tag = freshTag();
        Path work = Files.createTempDirectory("rsbp-" + tag + "-");
        RunContext run = new RunContext(tag, work, progress);
        List<PeerSystem> systems = ids.stream().map(id -> PeerCatalog.create(id, run)).toList();
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> stopFromHook(main, work), "bench-peers-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        List<PeerResult> rows = new ArrayList<>();
        try {
            progress.accept("bench --peers: " + String.join(", ", ids) + "; namespaces rsbp-" + tag + "-a/b, files in " + work);
            Map<String, String> unusable = new PackageInstaller(progress).ensure(systems);
            for (PeerSystem system : systems) {
                if (stopping) {
                    throw new InterruptedException("stopped");
                }
                String why = unusable.get(system.id());
                if (why != null) {
                    progress.accept(system.label() + ": skipped, " + why);
                    rows.add(PeerResult.failed(system.id(), system.label(), why));
                } else {
                    rows.add(measure(system, work));
                }
            }
        } finally {
            removeWork(work);
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down and the hook is running.
            }
        }
        return PeerReport.of(seconds, pings, udpMbps, rows);
    }

    /** Length of the unmeasured TCP run that precedes every system's measurements. */
    static final int WARM_UP_SECONDS = 5;

    private PeerResult measure(PeerSystem system, Path work) throws InterruptedException {
        current = system;
        Row row = new Row(system);
        progress.accept(system.label() + ": bringing it up");
        try {
            Endpoints ends = system.up();
            progress.accept(system.label() + ": up; measuring " + ends.clientNamespace() + " -> " + ends.serverAddress());
            try (TrafficProbe probe = TrafficProbe.start(ends, work.resolve("iperf3-" + system.id() + ".log"))) {
                // Every system gets the same warm-up, so that each is measured in its steady state
                // (a JVM compiles its hot paths during the first seconds of load).
                probe.tcpMbps(WARM_UP_SECONDS, 1);
                CpuMeter cpu = CpuMeter.start(system.daemonPids());
                row.tcp = probe.tcpMbps(seconds, 1);
                row.cpu(cpu.seconds(), seconds);
                progress.accept(String.format("%s: TCP %.1f Mbit/s%s", system.label(), row.tcp, row.cpuSeconds == null ? ""
                        : String.format(", daemons' CPU %.2f s (%s s per Gbit)", row.cpuSeconds,
                        PeerTable.number(row.cpuPerGbit, 2))));
                row.tcp4 = probe.tcpMbps(seconds, 4);
                progress.accept(String.format("%s: TCP x4 %.1f Mbit/s", system.label(), row.tcp4));
                Ping ping = probe.ping(pings);
                row.ping(ping);
                progress.accept(String.format("%s: RTT avg %.3f ms (%d/%d replies)", system.label(), ping.rttAvgMs(),
                        ping.received(), ping.sent()));
                row.udp = probe.udp(seconds, udpMbps);
                progress.accept(String.format("%s: UDP at %d Mbit/s: %.1f Mbit/s arrived, %.2f %% lost", system.label(),
                        udpMbps, row.udp.mbps(), row.udp.lossPercent()));
                row.memory(system.daemonPids(), progress);
            }
            return row.result(null);
        } catch (IOException | RuntimeException e) {
            if (stopping || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped while measuring " + system.label());
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            progress.accept(system.label() + " failed: " + why);
            return row.result(why);
        } finally {
            removing = true;
            progress.accept(system.label() + ": removing it");
            system.down();
            current = null;
            removing = false;
        }
    }

    /** The shutdown hook: interrupts the run, waits for it to clean up, and cleans up itself if it does not. */
    private void stopFromHook(Thread main, Path work) {
        stopping = true;
        if (finished.getCount() == 0) {
            return;
        }
        progress.accept("stopping: removing what bench --peers made");
        if (!removing) {
            main.interrupt();
        }
        try {
            if (!finished.await(90, TimeUnit.SECONDS)) {
                PeerSystem system = current;
                if (system != null) {
                    system.down();
                }
                removeWork(work);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void removeWork(Path work) {
        try {
            Cleanup.deleteTree(work);
        } catch (Exception e) {
            progress.accept("could not remove " + work + ": " + e.getMessage());
        }
    }

    /** A tag no namespace of this machine carries yet. */
    private static String freshTag() throws IOException {
        SecureRandom random = new SecureRandom();
        for (int attempt = 0; attempt < 100; attempt++) {
            StringBuilder tag = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                tag.append(TAG_CHARS.charAt(random.nextInt(TAG_CHARS.length())));
            }
            if (!Files.exists(Path.of("/var/run/netns", "rsbp-" + tag + "-a"))) {
                return tag.toString();
            }
        }
        throw new IOException("no free namespace name");
    }

    /** The figures of one system as they come in, so that a failure keeps what was measured before it. */
    private static final class Row {
        private final PeerSystem system;
        Double tcp;
        Double tcp4;
        Double rtt;
        Integer pingSent;
        Integer pingReceived;
        PeerResult.Udp udp;
        Double cpuSeconds;
        Double cpuPerGbit;
        Map<String, Long> rssKb = Map.of();
        List<PeerResult.DaemonMemory> daemons = List.of();

        Row(PeerSystem system) {
            this.system = system;
        }

        void ping(Ping ping) {
            pingSent = ping.sent();
            pingReceived = ping.received();
            rtt = Double.isNaN(ping.rttAvgMs()) ? null : ping.rttAvgMs();
        }

        void cpu(Double seconds, int runSeconds) {
            cpuSeconds = seconds;
            cpuPerGbit = CpuMeter.perGbit(seconds, tcp, runSeconds);
        }

        void memory(List<Daemon> pids, Consumer<String> progress) {
            List<PeerResult.DaemonMemory> out = new ArrayList<>();
            Map<String, Long> sums = new TreeMap<>();
            for (Daemon d : pids) {
                try {
                    Path proc = Path.of("/proc", Long.toString(d.pid()));
                    String name = Files.readString(proc.resolve("comm")).trim();
                    long kb = Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("VmRSS:"))
                            .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
                    out.add(new PeerResult.DaemonMemory(d.side(), name, d.pid(), kb));
                    sums.merge(d.side(), kb, Long::sum);
                } catch (IOException | RuntimeException e) {
                    progress.accept(system.label() + ": no memory figure for pid " + d.pid() + " (" + e.getMessage() + ")");
                }
            }
            daemons = out;
            rssKb = sums;
        }

        PeerResult result(String error) {
            return new PeerResult(system.id(), system.label(), error, tcp, tcp4, rtt, pingSent, pingReceived, udp, cpuSeconds,
                    cpuPerGbit, rssKb, daemons, null);
        }
    }
}
