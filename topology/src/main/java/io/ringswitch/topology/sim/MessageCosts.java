package io.ringswitch.topology.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The CPU a formed ring spends per routed message and per broadcast, taken as the simulator
 * thread's CPU time over a phase (every node runs on that thread, so it holds the source's, the
 * routers' and the destination's work) less the CPU of an idle phase of the same virtual length
 * (the ring's upkeep). Routed messages are measured twice along the same random pairs: the first
 * time a destination meets a source it checks the source's certificate (in a signed run), the
 * second time it knows it. Beside these, the CPU spent inside the nodes' signing and checking
 * over the same phase ({@link TimedSourceAuthentication}): what signatures add, free of the
 * upkeep's variance, though it also holds the upkeep's own signed messages meanwhile. A burst of probes (twice as many as the ring has nodes, at least), rather
 * than a trickle, keeps the upkeep a small part of what is measured.
 */
final class MessageCosts {
    /** Virtual time of each phase: the burst is sent within its first second and has arrived by its end. */
    static final long PHASE_MILLIS = 4_000;
    /** The idle phase is this many times longer, so that its figure, scaled down, varies less. */
    private static final int IDLE_PHASES = 3;
    private static final long BURST_MILLIS = 1_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final RingSimulation sim;
    private final Random random;
    private final int messages;
    private long idleNanos = -1;

    MessageCosts(RingSimulation sim, Random random, int messages) {
        this.sim = sim;
        this.random = random;
        this.messages = messages;
    }

    /** The ring's CPU per virtual millisecond while idle, as measured by {@link #run}. */
    double idleNanosPerMilli() {
        return idleNanos < 0 ? 0 : (double) idleNanos / PHASE_MILLIS;
    }

    Map<String, Object> run(Consumer<String> progress) {
        List<Integer> live = sim.connectedIndices();
        long cpu = cpuNanos();
        sim.runUntil(sim.nowMillis() + IDLE_PHASES * PHASE_MILLIS);
        idleNanos = (cpuNanos() - cpu) / IDLE_PHASES;
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            int src = live.get(random.nextInt(live.size()));
            int dst = live.get(random.nextInt(live.size()));
            while (dst == src) {
                dst = live.get(random.nextInt(live.size()));
            }
            pairs.add(new int[] {src, dst});
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("messages", messages);
        out.put("idle_cpu_us_per_node_per_s", Math.round(idleNanos / 1000.0 / live.size() / (PHASE_MILLIS / 1000.0)));
        burst("first_contact", pairs, out);
        burst("again", pairs, out);
        cpu = cpuNanos();
        long signing = sim.sourceAuthenticationNanos();
        Map<String, Object> broadcast = sim.broadcast(PHASE_MILLIS);
        out.put("signing_us_per_broadcast_per_node",
                Math.round((sim.sourceAuthenticationNanos() - signing) / 1000.0 / live.size()));
        out.put("broadcast_reached", broadcast.get("reached"));
        out.put("broadcast_live", broadcast.get("live"));
        out.put("cpu_us_per_broadcast_per_node", Math.round((cpuNanos() - cpu - idleNanos) / 1000.0 / live.size()));
        progress.accept("costs: " + out);
        return out;
    }

    /** Routes one message along each pair at once; its delivery and CPU per message above idle. */
    private void burst(String name, List<int[]> pairs, Map<String, Object> out) {
        long cpu = cpuNanos();
        long signing = sim.sourceAuthenticationNanos();
        List<RingSimulation.Route> routes = sim.routeBetween(pairs, BURST_MILLIS, PHASE_MILLIS);
        long spent = cpuNanos() - cpu;
        out.put("signing_us_per_message_" + name,
                Math.round((sim.sourceAuthenticationNanos() - signing) / 1000.0 / pairs.size()));
        out.put("delivery_" + name, routes.stream().filter(RingSimulation.Route::delivered).count() / (double) pairs.size());
        out.put("cpu_us_per_message_" + name, Math.round((spent - idleNanos) / 1000.0 / pairs.size()));
    }

    private static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
