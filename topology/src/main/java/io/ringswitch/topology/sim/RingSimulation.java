package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.VirtualClock;
import io.ringswitch.overlay.ring.dht.DhtConfig;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.SignedDhtRecords;
import io.ringswitch.overlay.security.SourceSignatures;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Runs N ring nodes on virtual time and measures them: the ring forms from joins spread over a
 * few simulated seconds, settles, then answers probes (routed messages between random nodes),
 * a broadcast, optionally the {@link MessageCosts CPU per message}, optionally the
 * {@link DhtScenario DHT scenario}, and optionally a churn phase with probes sent all through it.
 * With {@code signedSources} every node holds a certificate of one CA and signs what it routes and
 * broadcasts ({@link SourceSignatures}, the real node's code). The same seed gives the same run.
 */
public final class RingSimulation {
    private static final int PORT = 4000;
    private static final int BOOTSTRAPS = 3;

    private final class SimNode implements PayloadHandler {
        final int index;
        final InetSocketAddress endpoint;
        final PeerPath path;
        RingNode node;
        SourceSignatures signatures;
        TimedSourceAuthentication timed;
        boolean alive;
        long broadcastsSeen;

        SimNode(int index) {
            this.index = index;
            this.endpoint = endpointOf(index);
            this.path = new PeerPath.Udp(endpoint);
        }

        @Override
        public void delivered(RingMessage.Routed message) {
            if (message.payload().length == 8) {
                Probe probe = probes.get(ByteBuffer.wrap(message.payload()).getLong());
                if (probe != null && probe.dst == this && probe.hops < 0) {
                    probe.hops = message.hops();
                    probe.latencyMillis = clock.nowMillis() - probe.sentAt;
                }
            }
        }

        @Override
        public void broadcastDelivered(RingAddress origin, byte[] payload) {
            broadcastsSeen++;
        }

        void undeliverable(RingMessage.Routed message) {
            if (spec.verbose() && message.payloadType() == PayloadTypes.PROBE && shownFailures++ < 8) {
                verboseOut.accept("  probe for " + message.dst().shortString() + " stuck at " + node.address().shortString()
                        + " after " + message.hops() + " hops (its right "
                        + RingDiagnostics.shortList(node.rightNeighbours(2)) + ", left "
                        + RingDiagnostics.shortList(node.leftNeighbours(2)) + ") at t=" + clock.nowMillis() + " ms");
            }
        }
    }

    private static final class Probe {
        final SimNode src;
        final SimNode dst;
        final long sentAt;
        int hops = -1;
        /** From the source's send to the destination's delivery, on virtual time: every hop's delay. */
        long latencyMillis = -1;

        Probe(SimNode src, SimNode dst, long sentAt) {
            this.src = src;
            this.dst = dst;
            this.sentAt = sentAt;
        }
    }

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
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<PeerPath, SimNode> byPath = new HashMap<>();
    private final Map<RingAddress, SimNode> byAddress = new HashMap<>();
    private final Map<Long, Probe> probes = new HashMap<>();
    private final TrafficMeter traffic = new TrafficMeter();
    private long nextProbeId;
    private int shownFailures;
    private Consumer<String> verboseOut = line -> { };
    /** Certificates for a run with signed DHT records or sources, or shared with another run; null otherwise. */
    private final SimIdentities identities;

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
    }

    private static InetSocketAddress endpointOf(int index) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) (index >> 16), (byte) (index >> 8),
                    (byte) index}), PORT);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private SimNode addNode() {
        SimNode sim = new SimNode(nodes.size());
        NodeIdentity identity = identities == null ? null : identities.of(sim.index);
        RingAddress address = identity == null ? RingAddress.random(random) : identity.certificate().address();
        DhtConfig dht = spec.dht() == null ? DhtConfig.defaults() : DhtConfig.defaults().withReplicas(spec.dht().replicas());
        sim.node = new RingNode(new Contact(address, sim.endpoint), spec.ring(), dht, clock, (to, message) -> {
            traffic.sent(message);
            SimNode dst = byPath.get(to);
            if (dst == null || !dst.alive) {
                return;
            }
            clock.schedule(spec.latency().oneWayMillis(sim.index, dst.index), () -> {
                if (dst.alive) {
                    dst.node.onMessage(sim.path, message);
                }
            });
        }, new Random(random.nextLong()));
        if (spec.dht() != null && spec.dht().signed()) {
            sim.node.dht().useRecords(new SignedDhtRecords(identity, () -> identities.wallMillis(clock.nowMillis())));
        }
        if (spec.signedSources()) {
            sim.signatures = new SourceSignatures(identity, () -> Instant.ofEpochMilli(identities.wallMillis(clock.nowMillis())));
            sim.timed = new TimedSourceAuthentication(sim.signatures);
            sim.node.authenticate(sim.timed);
        }
        sim.node.register(PayloadTypes.PROBE, sim);
        sim.node.onUndeliverable(sim::undeliverable);
        nodes.add(sim);
        byPath.put(sim.path, sim);
        byAddress.put(address, sim);
        return sim;
    }

    /** Starts a node with up to three live nodes as its bootstrap list, as an operator would configure. */
    private void join(SimNode sim) {
        List<SimNode> live = live();
        sim.alive = true;
        List<InetSocketAddress> bootstrap = new ArrayList<>();
        for (int i = 0; i < Math.min(BOOTSTRAPS, live.size()); i++) {
            bootstrap.add(live.get(random.nextInt(live.size())).endpoint);
        }
        sim.node.start(bootstrap);
    }

    private List<SimNode> live() {
        return nodes.stream().filter(n -> n.alive).collect(Collectors.toCollection(ArrayList::new));
    }

    /** The crawl over every live node. */
    public Crawl.Result crawl() {
        return Crawl.check(live().stream().map(n -> n.node.view()).toList());
    }

    /**
     * Forms the ring: the nodes join spread over a few seconds of virtual time, then the clock runs
     * in 5 s steps until the crawl finds every node's neighbours right (or 3 minutes passed).
     * Returns the virtual time at which that was seen.
     */
    long form(Consumer<String> progress) {
        verboseOut = progress;
        int n = spec.nodes();
        long joinSpread = Math.max(5_000, Math.min(30_000, n * 3L));
        for (int i = 0; i < n; i++) {
            SimNode sim = addNode();
            clock.schedule(i * joinSpread / n, () -> join(sim));
        }
        progress.accept(String.format("%d nodes join within %.0f s of virtual time (%s)", n, joinSpread / 1000.0,
                spec.latency().describe()));
        long t = joinSpread;
        clock.runUntil(t);
        Crawl.Result crawl = crawl();
        long settleLimit = t + 180_000;
        while (crawl.consistency() < 1.0 && t < settleLimit) {
            t += 5_000;
            clock.runUntil(t);
            crawl = crawl();
            progress.accept(String.format("t=%.0fs virtual: consistency %.4f (%d/%d nodes)", t / 1000.0,
                    crawl.consistency(), crawl.consistent(), crawl.nodes()));
            if (spec.verbose()) {
                progress.accept("  links per node " + live().stream().mapToInt(x -> x.node.linkCount()).summaryStatistics());
                RingDiagnostics.describeInconsistent(live().stream().map(x -> x.node).toList(), progress);
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
        List<Probe> sent = sendProbes(count, start, spreadMillis);
        clock.runUntil(start + spreadMillis + 20_000);
        return sent.stream().map(p -> new Route(p.src.index, p.dst.index, p.latencyMillis, p.hops)).toList();
    }

    /**
     * Sends one probe along each pair of node numbers, spread over {@code spreadMillis} from now,
     * runs the clock {@code waitMillis} from now, and returns the routes as measured.
     */
    List<Route> routeBetween(List<int[]> pairs, long spreadMillis, long waitMillis) {
        long start = clock.nowMillis();
        List<Probe> sent = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            SimNode src = nodes.get(pairs.get(i)[0]);
            SimNode dst = nodes.get(pairs.get(i)[1]);
            clock.schedule((long) i * spreadMillis / pairs.size(), () -> {
                long id = nextProbeId++;
                Probe probe = new Probe(src, dst, clock.nowMillis());
                probes.put(id, probe);
                sent.add(probe);
                src.node.send(dst.node.address(), RoutingMode.EXACT, PayloadTypes.PROBE,
                        ByteBuffer.allocate(8).putLong(id).array(), true);
            });
        }
        clock.runUntil(start + waitMillis);
        return sent.stream().map(p -> new Route(p.src.index, p.dst.index, p.latencyMillis, p.hops)).toList();
    }

    /**
     * An insider's forgery: node {@code attacker}, a member with its own certificate, hands one of
     * its linked peers a probe for {@code dst} that names node {@code claimed} as its source,
     * signed with the attacker's own key when the run signs sources. Returns its route after
     * {@code waitMillis}: delivered only when the destination took the forged source.
     */
    Route forgeProbe(int attacker, int claimed, int dst, long waitMillis) {
        SimNode from = nodes.get(attacker);
        SimNode to = nodes.get(dst);
        RingAddress victim = nodes.get(claimed).node.address();
        SimNode firstHop = byAddress.get(from.node.rightNeighbours(1).get(0).address());
        long id = nextProbeId++;
        Probe probe = new Probe(from, to, clock.nowMillis());
        probes.put(id, probe);
        byte[] payload = ByteBuffer.allocate(8).putLong(id).array();
        if (from.signatures != null) {
            payload = from.signatures.signRouted(victim, to.node.address(), PayloadTypes.PROBE, payload);
        }
        firstHop.node.onMessage(from.path, new RingMessage.Routed(victim, to.node.address(), RoutingMode.EXACT,
                spec.ring().maxTtl(), 0, false, random.nextLong(), PayloadTypes.PROBE, payload));
        clock.runUntil(clock.nowMillis() + waitMillis);
        return new Route(attacker, dst, probe.latencyMillis, probe.hops);
    }

    /**
     * An insider's forged broadcast: node {@code attacker} hands its right neighbour a broadcast
     * in node {@code claimed}'s name, over the range from that neighbour round to the claimed
     * origin (as much as a broadcast of its may cover there: each hop refuses a range that reaches
     * past the sender or the origin), signed with the attacker's own key when the run signs sources. Returns how many nodes it
     * reached within {@code waitMillis}.
     */
    long forgeBroadcast(int attacker, int claimed, long waitMillis) {
        SimNode from = nodes.get(attacker);
        RingAddress victim = nodes.get(claimed).node.address();
        SimNode firstHop = byAddress.get(from.node.rightNeighbours(1).get(0).address());
        nodes.forEach(s -> s.broadcastsSeen = 0);
        long id = random.nextLong();
        byte[] payload = new byte[8];
        if (from.signatures != null) {
            payload = from.signatures.signBroadcast(victim, id, PayloadTypes.PROBE, payload);
        }
        firstHop.node.onMessage(from.path, new RingMessage.Broadcast(victim, id, victim,
                spec.ring().maxTtl(), PayloadTypes.PROBE, payload));
        clock.runUntil(clock.nowMillis() + waitMillis);
        return nodes.stream().filter(s -> s.broadcastsSeen > 0).count();
    }

    /** CPU nanoseconds every node spent so far signing and checking sources; 0 in a run without signatures. */
    long sourceAuthenticationNanos() {
        return nodes.stream().filter(s -> s.timed != null).mapToLong(s -> s.timed.nanos()).sum();
    }

    /** The numbers of the live nodes that are part of the ring. */
    List<Integer> connectedIndices() {
        return connectedLive().stream().map(s -> s.index).toList();
    }

    /** Every signing node's refusals of routed messages and broadcasts, by reason, added up. */
    Map<String, Long> sourceRefusals() {
        Map<String, Long> sum = new LinkedHashMap<>();
        nodes.stream().filter(s -> s.signatures != null)
                .forEach(s -> s.signatures.refusals().forEach((k, v) -> sum.merge(k, v, Long::sum)));
        return sum;
    }

    /** The node numbered {@code index}, in the order the nodes were made. */
    RingNode node(int index) {
        return nodes.get(index).node;
    }

    /** The number of the node at {@code address}, -1 for none. */
    int indexOf(RingAddress address) {
        SimNode sim = byAddress.get(address);
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

    /** Nodes made so far, live or not. */
    int nodesMade() {
        return nodes.size();
    }

    /** The certificates of a signed run, null for a bare one. */
    SimIdentities identities() {
        return identities;
    }

    /** The mean link count of the live nodes. */
    double linksPerLiveNode() {
        return live().stream().mapToInt(x -> x.node.linkCount()).average().orElse(0);
    }

    /** The ring as the DHT scenario sees it: its live nodes, how they crash, the DHT's bytes. */
    DhtScenario.Ring dhtRing() {
        return new DhtScenario.Ring(() -> connectedLive().stream().map(s -> s.node).toList(), victims -> nodes.stream()
                .filter(sim -> victims.contains(sim.node)).forEach(sim -> {
                    sim.alive = false;
                    sim.node.stop(false);
                }), traffic::dhtBytes);
    }

    private List<Probe> sendProbes(int count, long start, long spread) {
        List<Probe> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clock.schedule(start + (long) i * spread / Math.max(1, count) - clock.nowMillis(), () -> {
                List<SimNode> live = connectedLive();
                if (live.size() < 2) {
                    return;
                }
                SimNode src = live.get(random.nextInt(live.size()));
                SimNode dst = live.get(random.nextInt(live.size()));
                while (dst == src) {
                    dst = live.get(random.nextInt(live.size()));
                }
                long id = nextProbeId++;
                Probe probe = new Probe(src, dst, clock.nowMillis());
                probes.put(id, probe);
                sent.add(probe);
                src.node.send(dst.node.address(), RoutingMode.EXACT, PayloadTypes.PROBE,
                        ByteBuffer.allocate(8).putLong(id).array(), true);
            });
        }
        return sent;
    }

    private List<SimNode> connectedLive() {
        return nodes.stream().filter(n -> n.alive && n.node.isConnected()).toList();
    }

    /** One broadcast from a random live node, {@code waitMillis} to spread; who it reached. */
    Map<String, Object> broadcast(long waitMillis) {
        long t = clock.nowMillis();
        List<SimNode> live = live();
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

    /** The numbers of the live nodes, in the order they were made. */
    List<Integer> liveIndices() {
        return live().stream().map(n -> n.index).toList();
    }

    /** Whether node {@code index} runs. */
    boolean alive(int index) {
        return nodes.get(index).alive;
    }

    /** Crashes node {@code index} (no goodbye) {@code delayMillis} from now. */
    void crashIn(long delayMillis, int index) {
        SimNode victim = nodes.get(index);
        clock.schedule(delayMillis, () -> {
            victim.alive = false;
            victim.node.stop(false);
        });
    }

    /** Makes a new node that joins {@code delayMillis} from now (asked for once the node is made); its number. */
    int joinIn(LongSupplier delayMillis) {
        SimNode joiner = addNode();
        clock.schedule(delayMillis.getAsLong(), () -> join(joiner));
        return joiner.index;
    }

    /**
     * Sends {@code count} probes between random connected nodes spread over {@code spreadMillis}
     * from {@code start}; their routes, as they stand when asked for (the probes are drawn and
     * sent as virtual time reaches them, and filled in as they arrive).
     */
    Supplier<List<Route>> probesFrom(long start, int count, long spreadMillis) {
        List<Probe> sent = sendProbes(count, start, spreadMillis);
        return () -> sent.stream().map(p -> new Route(p.src.index, p.dst.index, p.latencyMillis, p.hops)).toList();
    }

    /** Logs which live nodes have wrong neighbours. */
    void describeInconsistent(Consumer<String> out) {
        RingDiagnostics.describeInconsistent(live().stream().map(x -> x.node).toList(), out);
    }

    /** Every node's ring counters, added up. */
    Map<String, Long> totals() {
        Map<String, Long> sum = new LinkedHashMap<>();
        for (SimNode sim : nodes) {
            sim.node.counters().toMap().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        return sum;
    }
}
