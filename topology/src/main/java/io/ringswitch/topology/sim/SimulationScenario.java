package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.Crawl;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The scenario of one {@link RingSimulation} run, in order: form the ring, settle, steady-state
 * probes and the traffic they cost, a broadcast, then the optional phases (CPU per message, the
 * DHT scenario, churn), and the report as ordered key/values for JSON.
 */
final class SimulationScenario {
    /** The simulator's thread runs every node: its CPU time is the run's cost on one core, whatever else loads the machine. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /**
     * The whole process's CPU: the simulator's thread and the collector's and compiler's threads. The
     * target of issue 21 is one core, so the collector's threads count too.
     */
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final RingSimulation sim;
    private final Random random;

    SimulationScenario(RingSimulation sim, Random random) {
        this.sim = sim;
        this.random = random;
    }

    Map<String, Object> run(Consumer<String> progress) {
        SimulationSpec spec = sim.spec();
        long wallStart = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long processCpuStart = OS.getProcessCpuTime();
        long gcStart = gcMillis();
        int n = spec.nodes();
        long t = sim.form(progress);
        long formedAt = t;
        double formWallSeconds = (System.nanoTime() - wallStart) / 1e9;
        double formCpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        double formProcessCpuSeconds = (OS.getProcessCpuTime() - processCpuStart) / 1e9;
        long linksSetUpForming = sim.totals().get("ring.linksUp");
        long eventsForming = sim.clock().executed();
        long messagesForming = sim.traffic().messages();
        long liveHeap = sim.heap().measureLive();
        t += 10_000;
        sim.runUntil(t);
        Crawl.Result crawl = sim.crawl();
        TrafficMeter traffic = sim.traffic();
        long bytesBefore = traffic.bytes();
        Map<String, Long> byKindBefore = traffic.mark();
        long steadyStart = t;
        long linksUpBefore = sim.totals().get("ring.linksUp");
        Supplier<List<RingSimulation.Route>> probes = sim.probesFrom(t, spec.probes(), 10_000);
        t += 40_000;
        sim.runUntil(t);
        int live = sim.liveIndices().size();
        double steadySeconds = (t - steadyStart) / 1000.0;
        double steadyBytesPerNodePerSecond = (traffic.bytes() - bytesBefore) / (double) live / steadySeconds;
        Map<String, Long> steadyByKind = traffic.ratesSince(byKindBefore, live, steadySeconds);
        double linksPerNode = sim.linksPerLiveNode();
        // Both ends count a link that comes up: halved, these are link set-ups.
        long steadyLinkSetUps = (sim.totals().get("ring.linksUp") - linksUpBefore) / 2;
        List<RingSimulation.Route> steady = probes.get();
        int[] hops = steady.stream().filter(RingSimulation.Route::delivered)
                .mapToInt(RingSimulation.Route::hops).sorted().toArray();
        double delivery = steady.isEmpty() ? 1.0 : (double) hops.length / steady.size();
        double meanHops = Arrays.stream(hops).average().orElse(Double.NaN);
        int p99 = hops.length == 0 ? -1 : hops[Math.min(hops.length - 1, (int) Math.ceil(hops.length * 0.99) - 1)];
        progress.accept(String.format("steady state: consistency %.4f, delivery %.4f, mean hops %.2f, p99 hops %d",
                crawl.consistency(), delivery, meanHops, p99));

        Map<String, Object> broadcast = sim.broadcast(20_000);
        t = sim.nowMillis();
        progress.accept("broadcast: " + broadcast);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("nodes", n);
        report.put("seed", spec.seed());
        report.put("consistency", crawl.consistency());
        report.put("mean_hops", round(meanHops));
        report.put("p99_hops", p99);
        report.put("delivery", delivery);
        report.put("probes", steady.size());
        report.put("formed_after_s", formedAt / 1000.0);
        report.put("broadcast", broadcast);
        double idleNanosPerMilli = 0;
        if (spec.costs()) {
            MessageCosts costs = new MessageCosts(sim, random, Math.max(2 * spec.nodes(), spec.probes()));
            report.put("costs", costs.run(progress));
            idleNanosPerMilli = costs.idleNanosPerMilli();
        }
        if (spec.dht() != null) {
            report.put("dht", new DhtScenario(spec.dht(), sim.dhtRing(), sim.clock(), random, idleNanosPerMilli).run(progress));
            t = sim.nowMillis();
        }
        if (spec.churn() != null) {
            report.put("churn", new ChurnPhase(sim, random).run(t, progress));
        }
        report.put("bytes_per_node", traffic.bytes() / Math.max(1, sim.nodesMade()));
        report.put("counters", sim.totals());
        if (spec.signedSources()) {
            report.put("source_refusals", sim.sourceRefusals());
        }
        if (sim.identities() != null) {
            report.put("identities_issue_cpu_s", round(sim.identities().issueMillis() / 1000.0));
        }
        report.put("steady_bytes_per_node_per_s", Math.round(steadyBytesPerNodePerSecond));
        report.put("steady_bytes_per_node_per_s_by_message", steadyByKind);
        report.put("links_per_node", round(linksPerNode));
        report.put("steady_link_set_ups", steadyLinkSetUps);
        report.put("links_set_up_per_node_while_forming", round(linksSetUpForming / (double) n));
        report.put("messages", traffic.messages());
        report.put("virtual_seconds", sim.nowMillis() / 1000.0);
        report.put("events", sim.clock().executed());
        report.put("latency", spec.latency().describe());
        report.put("events_per_node_while_forming", round(eventsForming / (double) n));
        report.put("messages_per_node_while_forming", round(messagesForming / (double) n));
        report.put("form_wall_seconds", round(formWallSeconds));
        report.put("form_cpu_seconds", round(formCpuSeconds));
        report.put("cpu_seconds", round((THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9));
        report.put("form_process_cpu_seconds", round(formProcessCpuSeconds));
        report.put("process_cpu_seconds", round((OS.getProcessCpuTime() - processCpuStart) / 1e9));
        report.put("gc_seconds", round((gcMillis() - gcStart) / 1e3));
        report.put("wall_seconds", round((System.nanoTime() - wallStart) / 1e9));
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("heap_live_mb_formed", round(liveHeap / 1e6));
        memory.put("heap_live_kb_per_node", round(liveHeap / 1e3 / n));
        memory.put("heap_peak_used_mb", round(sim.heap().peakUsed() / 1e6));
        memory.put("heap_max_mb", round(HeapGauge.maxHeap() / 1e6));
        memory.put("process_peak_rss_mb", round(HeapGauge.peakResident() / 1e6));
        report.put("memory", memory);
        return report;
    }

    /** Milliseconds the collectors took so far, all of them. */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .filter(t -> t > 0).sum();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
