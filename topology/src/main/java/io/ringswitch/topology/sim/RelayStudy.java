package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.node.RingNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * How much faster a two-hop relay is than greedy routing over the ring, the comparison of the IPOP
 * paper (Ganguly et al., "IP over P2P: enabling self-configuring virtual IP networks for grid
 * computing", IPDPS 2006), which found relays 54 % faster than ring routing at 100 nodes and 87 %
 * at 200.
 *
 * <p>For each ring size and seed the real ring code forms a ring on virtual time; then routed
 * probes between random pairs of nodes (s, d) are timed hop by hop as they travel. For every pair
 * that arrived, the study sets beside the routed latency: the direct one-way delay s→d; the best
 * two-hop relay s→R→d over the candidates the relay protocol can reach (issue 10, B6: the common
 * neighbours of s and d, and d's near neighbours, which s could link to first, as in the paper's
 * §4.3 and Figure 4); and the relay a stability-minded node picks (the oldest links, among common
 * neighbours if there are any, else among d's near neighbours).
 */
public final class RelayStudy {
    /** The ring sizes of the study: 25 to 1,000 nodes. */
    public static final List<Integer> SIZES = List.of(25, 50, 100, 200, 500, 1000);
    /** The paper's "relays X % faster than ring routing", by ring size. */
    public static final Map<Integer, Double> PAPER = Map.of(100, 0.54, 200, 0.87);
    /** The latencies behind the paper's figures. */
    public static final String PAPER_DATA = "King (2002): RTTs measured between ~1,740 Internet DNS servers, one "
            + "node per host";

    private static final long SETTLE_MILLIS = 10_000;
    private static final long PROBE_SPREAD_MILLIS = 10_000;
    private static final long UNKNOWN_RTT = 1_000_000_000L;

    /** The latency model of one run, made per ring size and seed. */
    @FunctionalInterface
    public interface Latencies {
        LatencyModel forRun(int nodes, long seed) throws IOException;
    }

    /** What to run: ring sizes, seeds, routed pairs per run, the ring's configuration and the latencies. */
    public record Spec(List<Integer> sizes, List<Long> seeds, int pairs, RingConfig ring, Latencies latencies) {
        public Spec {
            sizes = List.copyOf(sizes);
            seeds = List.copyOf(seeds);
            if (pairs < 1) {
                throw new IllegalArgumentException("pairs: at least 1");
            }
        }
    }

    /**
     * One routed pair, in ms: the direct one-way delay; the routed latency and hops; the two-hop
     * relays (-1 without a candidate) chosen by latency knowing every delay (the best there is), by
     * latency as a node can choose it (from the RTTs its links measured and those d reports), and by
     * stability; how many candidates there were and whether any was a common neighbour.
     */
    public record Pair(int src, int dst, long directMillis, long ringMillis, int hops, long relayByLatencyMillis,
                       long relayByKnownRttMillis, long relayByStabilityMillis, int candidates,
                       boolean commonNeighbour) {
    }

    /**
     * One ring size and seed: its pairs, the probes sent, the ring's consistency when they were, and
     * the share of link ends that never measured their RTT (only the pinging side, the lower
     * address, and the side that asked for the link measure it).
     */
    public record Run(int nodes, long seed, String latency, double consistency, int probes, List<Pair> pairs,
                      double linkEndsWithoutRtt) {
    }

    /** Mean and median of one latency over all pairs, ms. */
    public record Figures(double mean, double median) {
        static Figures of(long[] values) {
            if (values.length == 0) {
                return new Figures(Double.NaN, Double.NaN);
            }
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            int m = sorted.length / 2;
            double median = sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2.0;
            return new Figures(round(Arrays.stream(sorted).average().orElse(Double.NaN), 1), median);
        }
    }

    /**
     * One ring size over all its seeds. {@code relayFaster*} is the paper's figure, {@code 1 - mean
     * relay / mean ring}, beside the paper's own ({@code paperRelayFaster}, {@code null} where it has
     * none); {@code relayFasterBySeed} is the same by latency per seed, to show the spread. The
     * shares are of all pairs: a relay (by latency) beats the direct path, the ring route beats it
     * (both break the triangle inequality, which measured delays need not obey), s and d were
     * linked (one hop), and some candidate was a common neighbour.
     */
    public record Row(int nodes, int runs, int pairs, double delivery, double consistency, double meanHops,
                      Figures direct, Figures ring, Figures relayByLatency, Figures relayByKnownRtt,
                      Figures relayByStability, double relayFasterByLatency, double relayFasterByKnownRtt,
                      double relayFasterByStability, Double paperRelayFaster,
                      List<Double> relayFasterBySeed, double relayBeatsDirect, double ringBeatsDirect,
                      double oneHop, double commonNeighbour, double meanCandidates, double linkEndsWithoutRtt) {
    }

    /** The whole study: what latencies we used, what the paper used, and a row per ring size. */
    public record Report(String latency, String paperData, String measure, int shortcuts, List<Long> seeds,
                         int pairsPerRun, List<Row> rows) {
    }

    private final Spec spec;

    public RelayStudy(Spec spec) {
        this.spec = spec;
    }

    /** Runs every size and seed and sums them up, a row per size. */
    public Report run(Consumer<String> progress) throws IOException {
        List<Row> rows = new ArrayList<>();
        String latency = null;
        for (int nodes : spec.sizes()) {
            List<Run> runs = new ArrayList<>();
            for (long seed : spec.seeds()) {
                Run run = measure(nodes, seed, line -> { });
                latency = run.latency();
                runs.add(run);
                progress.accept(String.format("%4d nodes, seed %d: %d of %d probes arrived, consistency %.4f", nodes,
                        seed, run.pairs().size(), run.probes(), run.consistency()));
            }
            Row row = summarise(nodes, runs);
            progress.accept(String.format("%4d nodes: ring %.1f ms, relay %.1f ms (by latency), %.1f ms (by stability), "
                    + "direct %.1f ms: relays %.0f%% faster", nodes, row.ring().mean(), row.relayByLatency().mean(),
                    row.relayByStability().mean(), row.direct().mean(), 100 * row.relayFasterByLatency()));
            rows.add(row);
        }
        return new Report(latency, PAPER_DATA, "one-way ms from s to d; ring = a routed message timed hop by hop on "
                + "virtual time; relay = s->R->d; X% faster = 1 - mean relay / mean ring", spec.ring().shortcuts(), spec.seeds(),
                spec.pairs(),
                rows);
    }

    /** One ring of {@code nodes} nodes: forms it, routes the probes, and measures every pair that arrived. */
    public Run measure(int nodes, long seed, Consumer<String> progress) throws IOException {
        LatencyModel latency = spec.latencies().forRun(nodes, seed);
        RingSimulation sim = new RingSimulation(new SimulationSpec(nodes, seed, null, spec.ring(), spec.pairs(),
                latency, false));
        sim.runUntil(sim.form(progress) + SETTLE_MILLIS);
        double consistency = sim.crawl().consistency();
        List<RingSimulation.Route> routes = sim.routeProbes(spec.pairs(), PROBE_SPREAD_MILLIS);
        Neighbourhoods around = new Neighbourhoods(sim);
        List<Pair> pairs = new ArrayList<>();
        for (RingSimulation.Route route : routes) {
            if (route.delivered()) {
                pairs.add(pair(route, around, latency));
            }
        }
        long ends = 0;
        long unmeasured = 0;
        for (int i = 0; i < nodes; i++) {
            for (Link link : sim.node(i).links()) {
                ends++;
                unmeasured += link.rttMillis() < 0 ? 1 : 0;
            }
        }
        return new Run(nodes, seed, latency.describe(), consistency, routes.size(), pairs,
                round(unmeasured / (double) Math.max(1, ends), 3));
    }

    /** The relay figures of one routed pair. */
    static Pair pair(RingSimulation.Route route, Neighbourhoods around, LatencyModel latency) {
        int s = route.src();
        int d = route.dst();
        Map<Integer, Link> linksOfS = around.links(s);
        Map<Integer, Link> linksOfD = around.links(d);
        Set<Integer> common = new LinkedHashSet<>();
        for (int r : linksOfD.keySet()) {
            if (linksOfS.containsKey(r) && r != s && r != d) {
                common.add(r);
            }
        }
        Set<Integer> candidates = new LinkedHashSet<>(common);
        for (int r : around.near(d)) {
            if (r != s && r != d) {
                candidates.add(r);
            }
        }
        ToLongFunction<Integer> via = r -> latency.oneWayMillis(s, r) + latency.oneWayMillis(r, d);
        long byLatency = candidates.stream().mapToLong(via).min().orElse(-1);
        long byKnownRtt = -1;
        long byStability = -1;
        if (!common.isEmpty()) {
            // A node knows its own links' RTTs and d reports its own (issue 10, B6).
            byKnownRtt = via.applyAsLong(lowest(common, r -> rtt(linksOfS.get(r)) + rtt(linksOfD.get(r))));
            // Both links must hold: a relay is as old as the younger of its two links.
            byStability = via.applyAsLong(lowest(common, r -> Math.max(linksOfS.get(r).created(), linksOfD.get(r).created())));
        } else if (!candidates.isEmpty()) {
            // The source links to the relay afresh: only d's side has an RTT and an age.
            byKnownRtt = via.applyAsLong(lowest(candidates, r -> rtt(linksOfD.get(r))));
            byStability = via.applyAsLong(lowest(candidates, r -> linksOfD.containsKey(r) ? linksOfD.get(r).created()
                    : Long.MAX_VALUE));
        }
        return new Pair(s, d, latency.oneWayMillis(s, d), route.latencyMillis(), route.hops(), byLatency, byKnownRtt,
                byStability, candidates.size(), !common.isEmpty());
    }

    /** The candidate of the lowest {@code key} (the lowest node number among equals). */
    private static int lowest(Set<Integer> candidates, ToLongFunction<Integer> key) {
        int best = -1;
        long bestKey = Long.MAX_VALUE;
        for (int r : candidates) {
            long k = key.applyAsLong(r);
            if (best < 0 || k < bestKey || (k == bestKey && r < best)) {
                best = r;
                bestKey = k;
            }
        }
        return best;
    }

    /** A link's last measured RTT; a link never measured (or none) ranks after every measured one. */
    private static long rtt(Link link) {
        return link == null || link.rttMillis() < 0 ? UNKNOWN_RTT : link.rttMillis();
    }

    static Row summarise(int nodes, List<Run> runs) {
        List<Pair> all = runs.stream().flatMap(r -> r.pairs().stream()).toList();
        List<Pair> relayed = all.stream().filter(p -> p.relayByLatencyMillis() >= 0).toList();
        int probes = runs.stream().mapToInt(Run::probes).sum();
        Figures ring = Figures.of(all.stream().mapToLong(Pair::ringMillis).toArray());
        Figures byLatency = Figures.of(relayed.stream().mapToLong(Pair::relayByLatencyMillis).toArray());
        Figures byKnownRtt = Figures.of(relayed.stream().mapToLong(Pair::relayByKnownRttMillis).toArray());
        Figures byStability = Figures.of(relayed.stream().mapToLong(Pair::relayByStabilityMillis).toArray());
        List<Double> bySeed = runs.stream().map(r -> faster(r.pairs(), Pair::relayByLatencyMillis)).toList();
        double n = Math.max(1, all.size());
        return new Row(nodes, runs.size(), all.size(), round(all.size() / (double) Math.max(1, probes), 4),
                runs.stream().mapToDouble(Run::consistency).min().orElse(Double.NaN),
                round(all.stream().mapToInt(Pair::hops).average().orElse(Double.NaN), 2),
                Figures.of(all.stream().mapToLong(Pair::directMillis).toArray()), ring, byLatency, byKnownRtt, byStability,
                faster(all, Pair::relayByLatencyMillis), faster(all, Pair::relayByKnownRttMillis),
                faster(all, Pair::relayByStabilityMillis),
                PAPER.get(nodes), bySeed,
                round(relayed.stream().filter(p -> p.relayByLatencyMillis() < p.directMillis()).count() / n, 3),
                round(all.stream().filter(p -> p.ringMillis() < p.directMillis()).count() / n, 3),
                round(all.stream().filter(p -> p.hops() == 1).count() / n, 3),
                round(all.stream().filter(Pair::commonNeighbour).count() / n, 3),
                round(all.stream().mapToInt(Pair::candidates).average().orElse(Double.NaN), 1),
                round(runs.stream().mapToDouble(Run::linkEndsWithoutRtt).average().orElse(Double.NaN), 3));
    }

    /** The paper's "relays X % faster": {@code 1 - mean relay / mean ring}, over the pairs that had a relay. */
    static double faster(List<Pair> pairs, ToLongFunction<Pair> relay) {
        List<Pair> relayed = pairs.stream().filter(p -> relay.applyAsLong(p) >= 0).toList();
        double ring = relayed.stream().mapToLong(Pair::ringMillis).average().orElse(Double.NaN);
        return round(1 - relayed.stream().mapToLong(relay).average().orElse(Double.NaN) / ring, 3);
    }

    private static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }

    /** Each node's routable links by peer number, and its near neighbours, read once after the probes. */
    static final class Neighbourhoods {
        private final RingSimulation sim;
        private final Map<Integer, Map<Integer, Link>> links = new HashMap<>();
        private final Map<Integer, List<Integer>> near = new HashMap<>();

        Neighbourhoods(RingSimulation sim) {
            this.sim = sim;
        }

        Map<Integer, Link> links(int index) {
            return links.computeIfAbsent(index, i -> {
                Map<Integer, Link> out = new HashMap<>();
                for (Link link : sim.node(i).links()) {
                    int peer = sim.indexOf(link.address());
                    if (peer >= 0) {
                        out.put(peer, link);
                    }
                }
                return out;
            });
        }

        List<Integer> near(int index) {
            return near.computeIfAbsent(index, i -> {
                RingNode node = sim.node(i);
                List<Integer> out = new ArrayList<>();
                List<Contact> contacts = new ArrayList<>(node.leftNeighbours(node.nearPerSide()));
                contacts.addAll(node.rightNeighbours(node.nearPerSide()));
                for (Contact c : contacts) {
                    int peer = sim.indexOf(c.address());
                    if (peer >= 0 && !out.contains(peer)) {
                        out.add(peer);
                    }
                }
                return out;
            });
        }
    }
}
