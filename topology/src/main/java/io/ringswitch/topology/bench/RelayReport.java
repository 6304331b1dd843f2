package io.ringswitch.topology.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@code bench relays} measured: one row per relay choice (the IPOP paper's Table 3, which it
 * left empty), each with the runs it is made of. Figures are taken over the runs in which a relay
 * formed; a run in which none did is counted as a failure and adds no figure.
 *
 * @param lab          what the lab was (sites, NATs, MTU)
 * @param load         what load was put on which relay candidate, in words
 * @param runsPerChoice runs asked for per choice
 * @param rows         one per relay choice, in the order measured
 */
public record RelayReport(String lab, String load, int runsPerChoice, List<Row> rows) {
    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /**
     * One restart of the relayed pair.
     *
     * @param run            1-based
     * @param relayed        whether the pair's link showed kind {@code relay} within the limit
     * @param via            the relay's site, when relayed
     * @param lastPath       the pair's path seen last ({@code relay}, {@code udp}, {@code ring}, {@code none}, ...)
     * @param setupMs        from both restarted nodes being up to the relayed link in the first one's status
     * @param firstPingMs    from both nodes being up to the first host ping reply; null if none came
     * @param latencyMs      median RTT of the host pings
     * @param throughputMbps iperf3 TCP, what the server received
     * @param note           why a figure is missing, else null
     */
    public record Run(int run, boolean relayed, Integer via, String lastPath, Long setupMs, Long firstPingMs,
                      Double latencyMs, Double throughputMbps, String note) {
    }

    /**
     * A column's figures over the runs that relayed; all null when there were none.
     *
     * @param n how many figures it is made of
     */
    public record Stats(int n, Double median, Double p10, Double p90, Double min, Double max) {

        /** The statistics of {@code values} (nulls are left out); percentiles interpolate linearly between ranks. */
        public static Stats of(List<? extends Number> values) {
            List<Double> sorted = values.stream().filter(Objects::nonNull).map(Number::doubleValue).sorted().toList();
            if (sorted.isEmpty()) {
                return new Stats(0, null, null, null, null, null);
            }
            return new Stats(sorted.size(), round(percentile(sorted, 50)), round(percentile(sorted, 10)),
                    round(percentile(sorted, 90)), sorted.get(0), sorted.get(sorted.size() - 1));
        }

        /** The {@code p}-th percentile of ascending {@code sorted} (not empty), between ranks as numpy's default does. */
        static double percentile(List<Double> sorted, double p) {
            double rank = p / 100.0 * (sorted.size() - 1);
            int low = (int) Math.floor(rank);
            int high = (int) Math.ceil(rank);
            return sorted.get(low) + (rank - low) * (sorted.get(high) - sorted.get(low));
        }
    }

    /**
     * One relay choice.
     *
     * @param choice     the nodes' {@code nat.relayChoice}
     * @param runs       runs made
     * @param failures   runs in which no relay formed within the limit
     * @param relays     how often each site was the relay, by site number
     * @param setupMs    relay setup time
     * @param firstPingMs time to the first host ping reply
     * @param latencyMs  the runs' median RTTs
     * @param throughputMbps the runs' iperf3 figures
     * @param perRun     every run as it went
     */
    public record Row(String choice, int runs, int failures, Map<Integer, Integer> relays, Stats setupMs, Stats firstPingMs,
                      Stats latencyMs, Stats throughputMbps, List<Run> perRun) {

        /** The row for {@code runs}: figures over the relayed runs only. */
        public static Row of(String choice, List<Run> runs) {
            List<Run> relayed = runs.stream().filter(Run::relayed).toList();
            Map<Integer, Integer> relays = new TreeMap<>();
            relayed.stream().filter(r -> r.via() != null).forEach(r -> relays.merge(r.via(), 1, Integer::sum));
            return new Row(choice, runs.size(), runs.size() - relayed.size(), relays,
                    Stats.of(relayed.stream().map(Run::setupMs).toList()),
                    Stats.of(relayed.stream().map(Run::firstPingMs).toList()),
                    Stats.of(relayed.stream().map(Run::latencyMs).toList()),
                    Stats.of(relayed.stream().map(Run::throughputMbps).toList()), List.copyOf(runs));
        }
    }

    /** The median of {@code values} (not empty). */
    public static double median(List<Double> values) {
        return Stats.percentile(values.stream().sorted().toList(), 50);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report that Jackson cannot write: " + e.getMessage(), e);
        }
    }

    /** The table for a terminal: per choice and column, median [p10-p90] (min-max), then failures and relays. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("relay setup between site 3 (random-port NAT) and site 4 (port-preserving NAT), ")
                .append(runsPerChoice).append(" runs per choice\n");
        out.append("lab: ").append(lab).append('\n');
        out.append("load: ").append(load).append('\n');
        out.append(String.format("%-10s %-30s %-30s %-30s %-30s %-9s %s%n", "choice", "setup ms", "first ping ms", "RTT ms",
                "TCP Mbit/s", "failures", "relay (site: runs)"));
        for (Row row : rows) {
            out.append(String.format("%-10s %-30s %-30s %-30s %-30s %-9s %s%n", row.choice(), cell(row.setupMs(), 0),
                    cell(row.firstPingMs(), 0), cell(row.latencyMs(), 3), cell(row.throughputMbps(), 1),
                    row.failures() + "/" + row.runs(), row.relays().isEmpty() ? "-" : row.relays()));
        }
        out.append("cells: median [p10-p90] (min-max) over the runs that relayed; a run with no relay within 60 s is a failure\n");
        return out.toString();
    }

    /** One cell: {@code median [p10-p90] (min-max)}, or {@code -} without figures. */
    static String cell(Stats stats, int decimals) {
        if (stats.n() == 0) {
            return "-";
        }
        String f = "%." + decimals + "f";
        return String.format(f + " [" + f + "-" + f + "] (" + f + "-" + f + ")", stats.median(), stats.p10(), stats.p90(),
                stats.min(), stats.max());
    }

    private static Double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** The relays of {@code rows} in one list, for a progress line. */
    static List<String> summary(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(row.choice() + ": " + (row.runs() - row.failures()) + "/" + row.runs() + " relayed, relays " + row.relays());
        }
        return out;
    }
}
