package io.ringswitch.topology.bench;

import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Shell;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cold start a user meets: one site's node stopped (SIGTERM, as {@code systemctl restart}
 * does; its bridge and hosts stay) and started again into a ring that is up, timed from starting
 * its JVM to its host's first echo reply from a host at another site (pinged every 10 ms). Three
 * kinds of run, alternating: <em>known</em>, the host's own address, which the node bound and
 * published before it stopped (and, since issue 21, binds again at once from its
 * {@code bound-hosts} file); <em>forgotten</em>, the same with that file removed before the
 * start, so that the host is bound through the directory as before issue 21; <em>fresh</em>, an
 * address the host takes just before the start, which neither the directory nor any node has
 * seen, so that the peer's node must find it in the DHT. Each run comes with a timeline read from
 * the node's own log.
 */
public final class OneNodeColdStart {
    private static final Pattern REPLY_AT = Pattern.compile("\\[(\\d+\\.\\d+)] \\d+ bytes from");
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");
    private static final Duration LIMIT = Duration.ofSeconds(30);
    /** The log lines that mark each step of a start, in the order a start meets them. */
    private static final Map<Pattern, String> STEPS = steps();

    /** One start: milliseconds to the first reply (-1: none within the limit) and to each step of the node's log. */
    public record Run(String kind, long firstReplyMillis, Map<String, Long> timeline, double loadBefore, double loadAfter) {
    }

    /** The runs of every kind and their medians. */
    public record Result(int site, int peer, List<Run> runs, long knownMedianMillis, long forgottenMedianMillis,
                         long freshMedianMillis) {
    }

    private final Lab lab;
    private final Consumer<String> progress;

    OneNodeColdStart(Lab lab, Consumer<String> progress) {
        this.lab = lab;
        this.progress = progress;
    }

    /** {@code runs} starts of each kind, alternating, of site {@code site}'s node; its host pings host 1 of {@code peer}. */
    Result measure(int site, int peer, int runs) throws IOException, InterruptedException {
        List<Run> all = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            for (String kind : List.of("known", "forgotten", "fresh")) {
                lab.awaitReady(Duration.ofSeconds(60));
                Run r = once(site, peer, kind, run);
                all.add(r);
                progress.accept(String.format("one node cold (%s address) %d/%d: site %d's first reply from site %d after %s"
                        + " (load %.1f -> %.1f); %s", kind, run, runs, site, peer,
                        r.firstReplyMillis() < 0 ? "none within " + LIMIT.toSeconds() + " s" : r.firstReplyMillis() + " ms",
                        r.loadBefore(), r.loadAfter(), r.timeline()));
            }
        }
        return new Result(site, peer, all, median(all, "known"), median(all, "forgotten"), median(all, "fresh"));
    }

    private Run once(int site, int peer, String kind, int run) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        String host = spec.hostNamespace(site, 1);
        String source = kind.equals("fresh") ? "10.77." + site + "." + (100 + run) : spec.hostIp(site, 1);
        lab.stopNode(site, false);
        if (kind.equals("forgotten")) {
            Files.deleteIfExists(lab.siteDir(site).resolve("bound-hosts"));
        }
        Path log = lab.siteDir(site).resolve("node.log");
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        if (kind.equals("fresh")) {
            lab.exec(host, Duration.ofSeconds(10), "ip", "addr", "add", source + "/16", "dev", "eth0");
        }
        try {
            double loadBefore = load();
            long t0 = System.currentTimeMillis();
            lab.startNode(site);
            long reply = firstReply(host, source, spec.hostIp(peer, 1), t0, site);
            Map<String, Long> timeline = timeline(log, logStart, t0);
            lab.joinMillis(site).ifPresent(ms -> timeline.put("joined (first seen in its status)", ms));
            timeline.put("first echo reply", reply);
            return new Run(kind, reply, timeline, loadBefore, load());
        } finally {
            if (kind.equals("fresh")) {
                lab.exec(host, Duration.ofSeconds(10), "ip", "addr", "del", source + "/16", "dev", "eth0");
            }
        }
    }

    /**
     * Pings every 10 ms from {@code source} for up to {@link #LIMIT} and returns the milliseconds
     * from {@code t0} (wall clock, as ping's {@code -D} stamps are) to the first reply, -1 if none
     * came; watches the restarted site's status meanwhile, for when it joined.
     */
    private long firstReply(String namespace, String source, String target, long t0, int site)
            throws IOException, InterruptedException {
        Process ping = new ProcessBuilder(Shell.inNetns(namespace, "stdbuf", "-oL", "ping", "-D", "-n", "-i", "0.01", "-I",
                source, "-c", Long.toString(LIMIT.toMillis() / 10), target)).redirectErrorStream(true).start();
        AtomicLong reply = new AtomicLong(-1);
        CountDownLatch done = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(ping.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    Matcher m = REPLY_AT.matcher(line);
                    if (m.find()) {
                        reply.set(Math.max(0, (long) (Double.parseDouble(m.group(1)) * 1000) - t0));
                        return;
                    }
                }
            } catch (IOException e) {
                // ping was stopped: no reply came
            } finally {
                done.countDown();
            }
        }, "bench-one-node-first-ping");
        reader.setDaemon(true);
        reader.start();
        try {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!done.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                lab.watchLinks();
            }
            lab.watchLinks();
            return reply.get();
        } finally {
            ping.destroy();
            ping.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Milliseconds from {@code t0} to the first log line of each step, read from the log written since {@code from}. */
    static Map<String, Long> timeline(Path log, long from, long t0) throws IOException {
        Map<String, Long> timeline = new LinkedHashMap<>();
        if (!Files.exists(log)) {
            return timeline;
        }
        byte[] bytes = Files.readAllBytes(log);
        String text = new String(bytes, (int) Math.min(from, bytes.length), (int) Math.max(0, bytes.length - from),
                StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            Matcher m = LOG_TIME.matcher(line);
            if (!m.find()) {
                continue;
            }
            long at = LocalDateTime.parse(m.group(1)).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli() - t0;
            timeline.putIfAbsent("JVM up, config and identity read (first log line)", at);
            STEPS.forEach((marker, step) -> {
                if (marker.matcher(line).find()) {
                    timeline.putIfAbsent(step, at);
                }
            });
        }
        return timeline;
    }

    private static Map<Pattern, String> steps() {
        Map<Pattern, String> steps = new LinkedHashMap<>();
        steps.put(Pattern.compile("OpenFlow 1\\.3 controller listening"), "controller listening");
        steps.put(Pattern.compile("OverlayNode - node .* joining through"), "node started, joining");
        steps.put(Pattern.compile("switch connected from"), "OVS dialled in");
        steps.put(Pattern.compile("is under control"), "bridge under control, flows installed");
        steps.put(Pattern.compile("as before the restart; asking the directory"), "host's MAC bound from the node's memory");
        steps.put(Pattern.compile("HostManager - bound \\S+ to port "), "host's MAC bound");
        steps.put(Pattern.compile("HostManager - bound \\S+ to \\S+ on port "), "host's address bound");
        return steps;
    }

    private static long median(List<Run> runs, String kind) {
        List<Long> sorted = runs.stream().filter(r -> r.kind().equals(kind)).map(Run::firstReplyMillis)
                .map(ms -> ms < 0 ? Long.MAX_VALUE : ms).sorted().toList();
        if (sorted.isEmpty()) {
            return -1;
        }
        long m = sorted.get(sorted.size() / 2);
        return m == Long.MAX_VALUE ? -1 : m;
    }

    private static double load() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
