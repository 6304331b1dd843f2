package io.ringswitch.topology.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.topology.sim.ChurnSpec;
import io.ringswitch.topology.sim.DhtSpec;
import io.ringswitch.topology.sim.LatencyModel;
import io.ringswitch.topology.sim.RelayStudy;
import io.ringswitch.topology.sim.RingSimulation;
import io.ringswitch.topology.sim.ScaleSeries;
import io.ringswitch.topology.sim.SimulationSpec;
import io.ringswitch.topology.sim.SecurityComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringswitch sim}: the ring at scale, in one JVM on virtual time. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Simulate N ring nodes (the real ring code) on virtual time and report consistency, hops, "
                + "delivery, broadcast coverage and traffic; optionally the DHT (replication after a mass crash, get "
                + "latency) and churn. With --relays: the IPOP paper's comparison of two-hop relays with ring routing. "
                + "With --security: the same ring bare and signed (DHT records and routed sources), side by side.")
final class SimCommand implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "1000", description = "Number of nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--churn", paramLabel = "SPEC", description = "Churn after the ring formed, like crash=10%%,join=10%%,within=60s.")
    String churn;

    @Option(names = "--dht", arity = "0..1", fallbackValue = "default", paramLabel = "SPEC",
            description = "Also run the DHT scenario: store keys with replicas, time gets, kill a share of the nodes at "
                    + "once and watch the replicas come back; like keys=1000,replicas=3,kill=20%%,gets=2000 "
                    + "(those are the defaults of a bare --dht).")
    String dht;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed; the same seed gives the same run (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--shortcuts", defaultValue = "6", description = "Symphony shortcuts per node (default ${DEFAULT-VALUE}).")
    int shortcuts;

    @Option(names = "--probes", defaultValue = "2000", description = "Routed probe messages in steady state (default ${DEFAULT-VALUE}).")
    int probes;

    @Option(names = "--latency", paramLabel = "FILE",
            description = "country_rtt_stat.csv.gz for measured wide-area delays; default: uniform 10-100 ms one way.")
    Path latencyFile;

    @Option(names = "--latency-means", description = "With --latency: every pair at its countries' mean RTT, instead of "
            + "a sample of the pair's measured distribution (whose spread, outliers included, often exceeds the mean).")
    boolean latencyMeans;

    @Option(names = "--no-growth", description = "Skip the extra runs at 100 and 1,000 nodes that show how hops grow.")
    boolean noGrowth;

    @Option(names = "--relays", description = "Instead: latency of ring routing, two-hop relays (chosen by latency and by "
            + "stability) and direct links, for rings of --sizes nodes and --seeds seeds, beside the IPOP paper's figures.")
    boolean relays;

    @Option(names = "--sizes", split = ",", paramLabel = "N", description = "With --relays: ring sizes (default "
            + "25,50,100,200,500,1000); with --scale: 1000,10000,20000,50000,100000.")
    List<Integer> sizes;

    @Option(names = "--scale", description = "Instead: one standard run per ring size of --sizes, one after the other, "
            + "and a table of wall time, events and link set-ups per node while forming, heap per node, consistency, "
            + "delivery and hops (fitted to log2 N and carried to a million nodes). ./ringswitch gives the JVM "
            + "the parallel collector and up to 7 GB of heap (JAVA_OPTS replaces them): about 35 KB per node.")
    boolean scale;

    @Option(names = "--seeds", defaultValue = "5", description = "With --relays: seeds per size, from --seed on (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--pairs", defaultValue = "1000", description = "With --relays: routed pairs per run (default ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--security", description = "Instead: run the scenario twice on the same ring and seed, bare and "
            + "with every node under one CA signing its DHT records and its routed messages and broadcasts; print "
            + "delivery, DHT availability after --dht's kill (default 20%%) and the CPU per message and per DHT "
            + "operation of both.")
    boolean security;

    @Option(names = "--verbose", description = "Also show link counts, nodes with wrong neighbours and undeliverable probes.")
    boolean verbose;

    @Option(names = "--json", description = "Print one JSON object on stdout; progress goes to stderr.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Console console = new Console();
        if (nodes < 2 || nodes > 200_000) {
            console.accept("--nodes: 2 to 200000");
            return 2;
        }
        ChurnSpec churnSpec;
        DhtSpec dhtSpec;
        try {
            churnSpec = churn == null ? null : ChurnSpec.parse(churn);
            dhtSpec = dht == null ? null : DhtSpec.parse(dht);
        } catch (IllegalArgumentException e) {
            console.accept(e.getMessage());
            return 2;
        }
        if (latencyFile != null && !Files.exists(latencyFile)) {
            console.accept("--latency: " + latencyFile + " not found");
            return 2;
        }
        if (relays) {
            return relays(console);
        }
        if (security) {
            return security(dhtSpec, console);
        }
        if (scale) {
            return scale(console);
        }
        Map<String, Object> report;
        try {
            report = simulate(nodes, churnSpec, dhtSpec, console);
        } catch (java.io.IOException e) {
            console.accept("cannot load the latency table: " + e.getMessage());
            return 2;
        }
        if (!noGrowth) {
            Map<String, Object> growth = new LinkedHashMap<>();
            for (int size : new int[] {100, 1000, 10000}) {
                if (size < nodes) {
                    console.accept("growth of hops: " + size + " nodes");
                    growth.put(Integer.toString(size), simulate(size, null, null, s -> { }).get("mean_hops"));
                }
            }
            growth.put(Integer.toString(nodes), report.get("mean_hops"));
            report.put("mean_hops_by_nodes", growth);
        }
        ObjectMapper mapper = new ObjectMapper();
        if (!json) {
            mapper.enable(SerializationFeature.INDENT_OUTPUT);
        }
        System.out.println(mapper.writeValueAsString(report));
        return 0;
    }

    private Map<String, Object> simulate(int n, ChurnSpec churnSpec, DhtSpec dhtSpec,
                                         java.util.function.Consumer<String> progress)
            throws java.io.IOException {
        LatencyModel latency = latencyFile == null ? LatencyModel.uniform(10, 100, seed)
                : LatencyModel.countries(latencyFile, n + n, seed, !latencyMeans);
        RingSimulation sim = new RingSimulation(new SimulationSpec(n, seed, churnSpec,
                RingConfig.defaults().withShortcuts(shortcuts), probes, latency, verbose, dhtSpec));
        return sim.run(progress);
    }

    private int security(DhtSpec dhtSpec, Console console) throws Exception {
        LatencyModel latency = latencyFile == null ? LatencyModel.uniform(10, 100, seed)
                : LatencyModel.countries(latencyFile, nodes + nodes, seed, !latencyMeans);
        SecurityComparison.Report report = new SecurityComparison(new SimulationSpec(nodes, seed, null,
                RingConfig.defaults().withShortcuts(shortcuts), probes, latency, verbose, dhtSpec)).run(console);
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(SecurityComparison.asJson(report)));
        } else {
            SecurityComparison.lines(report).forEach(System.out::println);
        }
        return 0;
    }

    private int scale(Console console) throws Exception {
        List<Integer> sizes = this.sizes == null ? ScaleSeries.SIZES : this.sizes;
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 10 || n > 200_000)) {
            console.accept("--scale: --sizes from 10 to 200000");
            return 2;
        }
        ScaleSeries.Report report;
        try {
            report = new ScaleSeries(n -> new SimulationSpec(n, seed, null, RingConfig.defaults().withShortcuts(shortcuts),
                    probes, latencyFile == null ? LatencyModel.uniform(10, 100, seed)
                    : LatencyModel.countries(latencyFile, n + n, seed, !latencyMeans), verbose), sizes).run(console);
        } catch (java.io.IOException e) {
            console.accept("cannot load the latency table: " + e.getMessage());
            return 2;
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            ScaleTable.lines(report).forEach(System.out::println);
        }
        return 0;
    }

    private int relays(Console console) throws Exception {
        List<Integer> sizes = this.sizes == null ? RelayStudy.SIZES : this.sizes;
        if (seeds < 1 || pairs < 1 || sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 3 || n > 200_000)) {
            console.accept("--relays: --seeds and --pairs at least 1, --sizes from 3 to 200000");
            return 2;
        }
        List<Long> seedList = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            seedList.add(seed + i);
        }
        RelayStudy study = new RelayStudy(new RelayStudy.Spec(sizes, seedList, pairs,
                RingConfig.defaults().withShortcuts(shortcuts), (n, s) -> latencyFile == null
                ? LatencyModel.uniform(10, 100, s) : LatencyModel.countries(latencyFile, n, s, !latencyMeans)));
        RelayStudy.Report report;
        try {
            report = study.run(console);
        } catch (java.io.IOException e) {
            console.accept("cannot load the latency table: " + e.getMessage());
            return 2;
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            relayTable(report).forEach(System.out::println);
        }
        return 0;
    }

    /** The study as a table for a terminal: one line per ring size, then what data stood behind it. */
    static List<String> relayTable(RelayStudy.Report report) {
        List<String> out = new ArrayList<>();
        out.add("One-way latency s->d, ms, mean / median over all pairs; \"faster\" = 1 - mean relay / mean ring");
        out.add(String.format("%5s %5s %13s %13s %13s %13s %13s %6s %6s %6s %6s %6s %6s", "nodes", "hops", "direct",
                "ring", "relay:best", "relay:rtt", "relay:stable", "faster", "faster", "faster", "paper", "relay<",
                "ring<"));
        out.add(String.format("%5s %5s %13s %13s %13s %13s %13s %6s %6s %6s %6s %6s %6s", "", "", "", "", "", "", "",
                "best", "rtt", "stable", "", "direct", "direct"));
        for (RelayStudy.Row row : report.rows()) {
            out.add(String.format("%5d %5.2f %13s %13s %13s %13s %13s %5.0f%% %5.0f%% %5.0f%% %6s %5.1f%% %5.1f%%",
                    row.nodes(), row.meanHops(), figures(row.direct()), figures(row.ring()), figures(row.relayByLatency()),
                    figures(row.relayByKnownRtt()), figures(row.relayByStability()), 100 * row.relayFasterByLatency(),
                    100 * row.relayFasterByKnownRtt(), 100 * row.relayFasterByStability(),
                    row.paperRelayFaster() == null ? "" : Math.round(100 * row.paperRelayFaster()) + "%",
                    100 * row.relayBeatsDirect(), 100 * row.ringBeatsDirect()));
        }
        out.add("");
        out.add("faster by latency, per seed: " + report.rows().stream().map(r -> r.nodes() + ": "
                + r.relayFasterBySeed().stream().map(f -> Math.round(100 * f) + "%").toList()).toList());
        out.add("relay:best = the best R of all candidates; relay:rtt = as a node picks it from measured RTTs; "
                + "relay:stable = the oldest links");
        out.add("pairs with a common neighbour: " + report.rows().stream().map(r -> r.nodes() + ": "
                + Math.round(100 * r.commonNeighbour()) + "%").toList() + "; link ends with no RTT measured: "
                + report.rows().stream().map(r -> r.nodes() + ": " + Math.round(100 * r.linkEndsWithoutRtt()) + "%").toList());
        out.add("ours:  " + report.latency() + "; " + report.shortcuts()
                + (report.shortcuts() == 1 ? " shortcut" : " shortcuts") + " per node; seeds " + report.seeds()
                + ", " + report.pairsPerRun() + " routed pairs per run");
        out.add("paper: " + report.paperData());
        return out;
    }

    private static String figures(RelayStudy.Figures f) {
        return String.format("%5.0f / %5.0f", f.mean(), f.median());
    }
}
