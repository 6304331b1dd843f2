package io.ringswitch.topology.cli;

import io.ringswitch.topology.bench.RelayBench;
import io.ringswitch.topology.bench.RelayReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringswitch bench relays}: relay setup time, latency and throughput per relay choice
 * ({@link RelayBench}), the IPOP paper's empty Table 3. Progress on stderr; the table, or with
 * {@code --json} one JSON object, on stdout.
 */
@Command(name = "relays", mixinStandardHelpOptions = true,
        description = {"Relayed links in a 6-site lab: site 3 (random-port NAT) and site 4 (port-preserving NAT) can never link "
                + "directly, so one of the open sites 1, 2, 5, 6 relays them. For each relay choice (latency, then stability; a "
                + "fresh lab each) the nodes of sites 3 and 4 are restarted --runs times; each run times the relayed link's setup "
                + "and the first host ping, then the median RTT of 20 pings and 5 s of iperf3 TCP, and notes which site relayed. "
                + "A background iperf3 between the hosts of sites 2 and 1 keeps those two relay candidates busy.",
                "A run in which no relay formed within 60 s counts as a failure, not as a figure."})
final class RelayBenchCommand implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "20", description = "Restarts of the relayed pair per relay choice (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--load-mbps", defaultValue = "100", description = "Rate of the background iperf3 from site 2's host to site "
            + "1's host, Mbit/s; 0 for no load (default ${DEFAULT-VALUE}).")
    int loadMbps;

    @Option(names = "--json", description = "Print one JSON object on stdout; progress goes to stderr.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Console console = new Console();
        RelayReport report;
        try {
            report = new RelayBench(console, runs, loadMbps).run();
        } catch (InterruptedException e) {
            console.accept("stopped (" + e.getMessage() + "); the lab is removed");
            return 130;
        }
        if (json) {
            System.out.println(report.toJson());
        } else {
            System.out.println();
            System.out.print(report.table());
        }
        return report.rows().stream().allMatch(r -> r.failures() < r.runs()) ? 0 : 1;
    }
}
