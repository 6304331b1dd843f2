package io.ringswitch.topology.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.topology.sim.ChurnSpec;
import io.ringswitch.topology.sim.DhtSpec;
import io.ringswitch.topology.sim.LatencyModel;
import io.ringswitch.topology.sim.RingSimulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringswitch sim}: the ring at scale, in one JVM on virtual time. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Simulate N ring nodes (the real ring code) on virtual time and report consistency, hops, "
                + "delivery, broadcast coverage and traffic; optionally the DHT (replication after a mass crash, get "
                + "latency) and churn.")
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

    @Option(names = "--no-growth", description = "Skip the extra runs at 100 and 1,000 nodes that show how hops grow.")
    boolean noGrowth;

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
                : LatencyModel.countries(latencyFile, n + n, seed);
        RingSimulation sim = new RingSimulation(new RingSimulation.Spec(n, seed, churnSpec,
                RingConfig.defaults().withShortcuts(shortcuts), probes, latency, verbose, dhtSpec));
        return sim.run(progress);
    }
}
