package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.VirtualClock;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.security.SourceSignatures;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs N ring nodes on virtual time and measures them: the ring forms from joins spread over a
 * few simulated seconds, settles, then answers probes (routed messages between random nodes),
 * a broadcast, optionally the {@link MessageCosts CPU per message}, optionally the
 * {@link DhtScenario DHT scenario}, and optionally a churn phase with probes sent all through it.
 * With {@code signedSources} every node holds a certificate of one CA and signs what it routes and
 * broadcasts ({@link SourceSignatures}, the real node's code). The same seed gives the same run.
 * The nodes and the underlay are the {@link SimNetwork}'s; the probes the {@link SimProbes}'.
 */
public final class RingSimulation {
    /** Joins per second of virtual time while the ring forms, at most (see {@link #joinSpreadMillis}). */
    static final int JOINS_PER_SECOND = 1_000;

    /**
     * One probe's route between the nodes numbered {@code src} and {@code dst}: its latency and
     * hops as measured on virtual time, both -1 if it never arrived.
     */
    record Route(int src, int dst, long latencyMillis, int hops) {
        boolean delivered() {
            return hops >= 0;
        }
    }

    private final SimulationSpec spec;
    private final VirtualClock clock = new VirtualClock();
    private final Random random;
    private final TrafficMeter traffic = new TrafficMeter();
    private final SimNetwork network;
    private final SimProbes probes;
    /** Certificates for a run with signed DHT records or sources, or shared with another run; null otherwise. */
    private final SimIdentities identities;
    private final HeapGauge heap = new HeapGauge();

    public RingSimulation(SimulationSpec spec) {
        this(spec, spec.needsIdentities() ? new SimIdentities(Instant.now()) : null);
    }

    /**
     * A run whose node {@code i} has {@code identities}' identity {@code i} and its ring address,
     * whether or not it signs: two runs given the same identities run on the same ring.
     */
    RingSimulation(SimulationSpec spec, SimIdentities identities) {
        if (spec.needsIdentities() && identities == null) {
            throw new IllegalArgumentException("a signed run needs identities");
        }
        this.spec = spec;
        this.random = new Random(spec.seed());
        this.identities = identities;
        this.network = new SimNetwork(spec, clock, random, identities, traffic);
        this.probes = new SimProbes(clock, network, spec.verbose());
    }

    /** The crawl over every live node. */
    public Crawl.Result crawl() {
        return Crawl.check(network.live().stream().map(n -> n.node.view()).toList());
    }

    /**
     * How long the joins of a ring of {@code n} take: 3 ms apart, within 5 to 30 s, and past
     * 30,000 nodes {@value #JOINS_PER_SECOND} a second at most. Which join storm a ring of a
     * million sites must bear is a question of its own (the README's internet-scale section);
     * here the storm grows with the ring only up to that rate.
     */
    static long joinSpreadMillis(int n) {
        return Math.max(5_000, Math.max(Math.min(30_000, n * 3L), n * 1000L / JOINS_PER_SECOND));
    }

    /**
     * Forms the ring: the nodes join spread over {@link #joinSpreadMillis} of virtual time, then
     * the clock runs in 5 s steps until the crawl finds every node's neighbours right (or 3
     * minutes passed). Returns the virtual time at which that was seen.
     */
    long form(Consumer<String> progress) {
        probes.verboseOut(progress);
        int n = spec.nodes();
        long joinSpread = joinSpreadMillis(n);
        for (int i = 0; i < n; i++) {
            SimNode sim = network.add(probes);
            clock.schedule(i * joinSpread / n, () -> network.join(sim));
        }
        progress.accept(String.format("%d nodes join within %.0f s of virtual time (%s)", n, joinSpread / 1000.0,
                spec.latency().describe()));
        long t = joinSpread;
        clock.runUntil(t);
        heap.sample();
        Crawl.Result crawl = crawl();
        long settleLimit = t + 180_000;
        while (crawl.consistency() < 1.0 && t < settleLimit) {
            t += 5_000;
            clock.runUntil(t);
            heap.sample();
            crawl = crawl();
            progress.accept(String.format("t=%.0fs virtual: consistency %.4f (%d/%d nodes)", t / 1000.0,
                    crawl.consistency(), crawl.consistent(), crawl.nodes()));
            if (spec.verbose()) {
                progress.accept("  links per node " + network.live().stream().mapToInt(x -> x.node.linkCount())
                        .summaryStatistics());
                describeInconsistent(progress);
            }
        }
        return t;
    }

    /** Runs the whole scenario and returns the report as ordered key/values (for JSON). */
    public Map<String, Object> run(Consumer<String> progress) {
        return new SimulationScenario(this, random).run(progress);
    }

    /**
     * Sends {@code count} probes between random connected nodes, spread over {@code spreadMillis}
     * from now, lets them arrive (20 s more), and returns their routes as measured.
     */
    List<Route> routeProbes(int count, long spreadMillis) {
        long start = clock.nowMillis();
        Supplier<List<Route>> routes = probes.between(start, count, spreadMillis);
        clock.runUntil(start + spreadMillis + 20_000);
        return routes.get();
    }

    /**
     * Sends one probe along each pair of node numbers, spread over {@code spreadMillis} from now,
     * runs the clock {@code waitMillis} from now, and returns the routes as measured.
     */
    List<Route> routeBetween(List<int[]> pairs, long spreadMillis, long waitMillis) {
        return probes.along(pairs, spreadMillis, waitMillis);
    }

    /**
     * Sends {@code count} probes between random connected nodes spread over {@code spreadMillis}
     * from {@code start}; their routes, as they stand when asked for (the probes are drawn and
     * sent as virtual time reaches them, and filled in as they arrive).
     */
    Supplier<List<Route>> probesFrom(long start, int count, long spreadMillis) {
        return probes.between(start, count, spreadMillis);
    }

    /** See {@link InsiderForgery#probe}. */
    Route forgeProbe(int attacker, int claimed, int dst, long waitMillis) {
        return new InsiderForgery(spec, clock, random, network, probes).probe(attacker, claimed, dst, waitMillis);
    }

    /** See {@link InsiderForgery#broadcast}. */
    long forgeBroadcast(int attacker, int claimed, long waitMillis) {
        return new InsiderForgery(spec, clock, random, network, probes).broadcast(attacker, claimed, waitMillis);
    }

    /** One broadcast from a random live node, {@code waitMillis} to spread; who it reached. */
    Map<String, Object> broadcast(long waitMillis) {
        long t = clock.nowMillis();
        List<SimNode> live = network.live();
        long duplicatesBefore = live.stream().mapToLong(s -> s.node.counters().broadcastDuplicates()).sum();
        live.forEach(s -> s.broadcastsSeen = 0);
        SimNode origin = live.get(random.nextInt(live.size()));
        origin.node.broadcast(PayloadTypes.PROBE, new byte[8]);
        clock.runUntil(t + waitMillis);
        long misses = live.stream().filter(s -> s != origin && s.broadcastsSeen == 0).count();
        long duplicates = live.stream().mapToLong(s -> s.node.counters().broadcastDuplicates()).sum() - duplicatesBefore;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reached", live.stream().filter(s -> s != origin && s.broadcastsSeen > 0).count());
        out.put("live", live.size() - 1);
        out.put("misses", misses);
        out.put("duplicates", duplicates);
        return out;
    }

    /** CPU nanoseconds every node spent so far signing and checking sources; 0 in a run without signatures. */
    long sourceAuthenticationNanos() {
        return network.all().stream().filter(s -> s.timed != null).mapToLong(s -> s.timed.nanos()).sum();
    }

    /**
     * The connected node nearest the point of the ring opposite {@code index}'s address, other than
     * the nodes in {@code besides}: a claimed origin whose forged broadcast or probe has a long way
     * to go, so that the check under test (the source's signature) decides its fate rather than the
     * ring's geometry (a claimed origin that is the attacker's own next neighbour is turned away by
     * the range checks before any signature is read).
     */
    int oppositeOf(int index, int... besides) {
        double opposite = (network.get(index).node.address().fraction() + 0.5) % 1.0;
        java.util.Set<Integer> skip = java.util.Arrays.stream(besides).boxed().collect(java.util.stream.Collectors.toSet());
        skip.add(index);
        return network.connectedLive().stream().filter(s -> !skip.contains(s.index))
                .min(java.util.Comparator.comparingDouble(s -> {
                    double d = Math.abs(s.node.address().fraction() - opposite);
                    return Math.min(d, 1.0 - d);
                })).orElseThrow().index;
    }

    /** The numbers of the live nodes that are part of the ring. */
    List<Integer> connectedIndices() {
        return network.connectedLive().stream().map(s -> s.index).toList();
    }

    /** Every signing node's refusals of routed messages and broadcasts, by reason, added up. */
    Map<String, Long> sourceRefusals() {
        Map<String, Long> sum = new LinkedHashMap<>();
        network.all().stream().filter(s -> s.signatures != null)
                .forEach(s -> s.signatures.refusals().forEach((k, v) -> sum.merge(k, v, Long::sum)));
        return sum;
    }

    /** The node numbered {@code index}, in the order the nodes were made. */
    RingNode node(int index) {
        return network.get(index).node;
    }

    /** The number of the node at {@code address}, -1 for none. */
    int indexOf(RingAddress address) {
        SimNode sim = network.byAddress(address);
        return sim == null ? -1 : sim.index;
    }

    long nowMillis() {
        return clock.nowMillis();
    }

    /** Runs virtual time up to {@code t}. */
    void runUntil(long t) {
        clock.runUntil(t);
    }

    SimulationSpec spec() {
        return spec;
    }

    VirtualClock clock() {
        return clock;
    }

    TrafficMeter traffic() {
        return traffic;
    }

    /** The run's heap, sampled after each step of forming and when the report asks. */
    HeapGauge heap() {
        return heap;
    }

    /** Nodes made so far, live or not. */
    int nodesMade() {
        return network.all().size();
    }

    /** The certificates of a signed run, null for a bare one. */
    SimIdentities identities() {
        return identities;
    }

    /** The mean link count of the live nodes. */
    double linksPerLiveNode() {
        return network.live().stream().mapToInt(x -> x.node.linkCount()).average().orElse(0);
    }

    /** The ring as the DHT scenario sees it: its live nodes, how they crash, the DHT's bytes. */
    DhtScenario.Ring dhtRing() {
        return new DhtScenario.Ring(() -> network.connectedLive().stream().map(s -> s.node).toList(),
                victims -> network.all().stream().filter(sim -> victims.contains(sim.node)).forEach(network::crash),
                traffic::dhtBytes);
    }

    /** The numbers of the live nodes, in the order they were made. */
    List<Integer> liveIndices() {
        return network.live().stream().map(n -> n.index).toList();
    }

    /** Whether node {@code index} runs. */
    boolean alive(int index) {
        return network.get(index).alive;
    }

    /** Crashes node {@code index} (no goodbye) {@code delayMillis} from now. */
    void crashIn(long delayMillis, int index) {
        SimNode victim = network.get(index);
        clock.schedule(delayMillis, () -> network.crash(victim));
    }

    /** Makes a new node that joins {@code delayMillis} from now (asked for once the node is made); its number. */
    int joinIn(LongSupplier delayMillis) {
        SimNode joiner = network.add(probes);
        clock.schedule(delayMillis.getAsLong(), () -> network.join(joiner));
        return joiner.index;
    }

    /** Logs which live nodes have wrong neighbours. */
    void describeInconsistent(Consumer<String> out) {
        RingDiagnostics.describeInconsistent(network.live().stream().map(x -> x.node).toList(), out);
    }

    /** Every node's ring counters, added up. */
    Map<String, Long> totals() {
        Map<String, Long> sum = new LinkedHashMap<>();
        for (SimNode sim : network.all()) {
            sim.node.counters().toMap().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        return sum;
    }
}
