package io.ringswitch.topology.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Turns the rounds of {@code bench --cold-throughput} into per-build medians and a table: for
 * each round, the Mbit/s of every second of the first iperf3 run after a cold start and of the
 * run right after it (warm), their means and the ratio cold/warm (issue 21 item 3 wants it at
 * 0.8 or more); for each build, the median of each of these over the rounds, and the median of
 * each second.
 */
record ColdThroughputReport(List<Round> rounds) {

    /**
     * One cold start of both nodes of one build and the two runs after it.
     *
     * @param build           {@code this} or {@code baseline}
     * @param firstPingMillis from starting both JVMs to the first echo reply between the sites' hosts
     * @param coldMbps        Mbit/s of each second of the first run, which starts at that reply
     * @param warmMbps        Mbit/s of each second of the run right after
     * @param coldJitMillis   CPU milliseconds the JIT threads of both nodes used in each second of the first run
     * @param warmJitMillis   the same for the run after
     * @param coldRetransmits the sender's TCP retransmissions in each second of the first run
     * @param warmRetransmits the same for the run after
     * @param rssKb           both nodes' VmRSS after the warm run
     */
    record Round(String build, int round, double loadBefore, double loadAfter, long firstPingMillis,
                 List<Double> coldMbps, List<Double> warmMbps, List<Long> coldJitMillis, List<Long> warmJitMillis,
                 List<Long> coldRetransmits, List<Long> warmRetransmits, List<Long> rssKb) {
        double coldMean() {
            return mean(coldMbps);
        }

        double warmMean() {
            return mean(warmMbps);
        }

        /** Cold mean over warm mean; 0 when the warm run moved nothing. */
        double ratio() {
            return warmMean() <= 0 ? 0 : coldMean() / warmMean();
        }
    }

    /** The medians of one build's rounds. */
    record Summary(String build, int rounds, double coldMean, double warmMean, double ratio, long firstPingMillis,
                   List<Double> coldMbps, List<Double> warmMbps, List<Double> coldJitMillis, long rssKb) {
    }

    /** One summary per build, in the order the builds first ran. */
    List<Summary> summaries() {
        Map<String, List<Round>> byBuild = new LinkedHashMap<>();
        rounds.forEach(r -> byBuild.computeIfAbsent(r.build(), b -> new ArrayList<>()).add(r));
        List<Summary> out = new ArrayList<>();
        byBuild.forEach((build, rs) -> out.add(new Summary(build, rs.size(), median(rs, Round::coldMean),
                median(rs, Round::warmMean), median(rs, Round::ratio), Math.round(median(rs, r -> r.firstPingMillis())),
                perSecond(rs, Round::coldMbps), perSecond(rs, Round::warmMbps),
                perSecond(rs, r -> r.coldJitMillis().stream().map(Long::doubleValue).toList()),
                Math.round(median(rs, r -> r.rssKb().stream().mapToLong(Long::longValue).max().orElse(-1))))));
        return out;
    }

    /** What {@code --json} prints: every round with its means and ratio, then the medians per build. */
    Map<String, Object> toJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Round r : rounds) {
            Map<String, Object> round = new LinkedHashMap<>();
            round.put("round", r);
            round.put("cold_mean_mbps", r.coldMean());
            round.put("warm_mean_mbps", r.warmMean());
            round.put("ratio", r.ratio());
            out.add(round);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rounds", out);
        json.put("medians", summaries());
        return json;
    }

    /** What the command prints: every round, then the medians per build. */
    String format() {
        StringBuilder out = new StringBuilder();
        for (Round r : rounds) {
            out.append(String.format(Locale.ROOT, "%-8s round %d  load %.1f -> %.1f  first ping %,d ms%n", r.build(), r.round(),
                    r.loadBefore(), r.loadAfter(), r.firstPingMillis()));
            out.append(String.format(Locale.ROOT, "  cold %s  mean %,.0f%n", seconds(r.coldMbps()), r.coldMean()));
            out.append(String.format(Locale.ROOT, "  warm %s  mean %,.0f  ratio %.2f%n", seconds(r.warmMbps()), r.warmMean(),
                    r.ratio()));
            out.append(String.format(Locale.ROOT, "  JIT threads' CPU ms per second, cold %s, warm %s; TCP retransmissions "
                    + "per second, cold %s, warm %s; node RSS %s kB%n", r.coldJitMillis(), r.warmJitMillis(),
                    r.coldRetransmits(), r.warmRetransmits(), r.rssKb()));
        }
        out.append(String.format(Locale.ROOT, "%nmedians (Mbit/s per second of iperf3 TCP from the first ping reply on; cold/warm)%n"));
        for (Summary s : summaries()) {
            out.append(String.format(Locale.ROOT, "%-8s %d rounds  cold %s mean %,.0f  warm %s mean %,.0f  ratio %.2f  "
                            + "first ping %,d ms  JIT ms/s cold %s  RSS %,d kB%n", s.build(), s.rounds(), seconds(s.coldMbps()),
                    s.coldMean(), seconds(s.warmMbps()), s.warmMean(), s.ratio(), s.firstPingMillis(),
                    seconds(s.coldJitMillis()), s.rssKb()));
        }
        return out.toString();
    }

    /** The arithmetic mean; 0 for no values. */
    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** The median: the middle value, or the mean of the two middle ones; 0 for no values. */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return 0;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double median(List<Round> rounds, ToDoubleFunction<Round> figure) {
        return median(rounds.stream().map(r -> figure.applyAsDouble(r)).toList());
    }

    /** The median of each second over the rounds, as long as the shortest round. */
    private static List<Double> perSecond(List<Round> rounds, Function<Round, List<Double>> series) {
        int n = rounds.stream().mapToInt(r -> series.apply(r).size()).min().orElse(0);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int second = i;
            out.add(median(rounds.stream().map(r -> series.apply(r).get(second)).toList()));
        }
        return out;
    }

    private static String seconds(List<? extends Number> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v.doubleValue()))
                .reduce((a, b) -> a + " " + b).map(s -> "[" + s + "]").orElse("[]");
    }
}
