package io.ringswitch.topology.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * One-way delay between two simulated nodes, the same every time it is asked for the same pair.
 * Either uniform in a range, or drawn from measured country-to-country RTTs: each node sits in a
 * country (weighted by how often it was measured) and a pair's delay is half a truncated normal
 * sample of its countries' RTT.
 */
public interface LatencyModel {
    /** The table's name for probes whose country is not known. */
    String UNKNOWN_COUNTRY = "None";

    long oneWayMillis(int a, int b);

    String describe();

    /** Uniform one-way delay in [min, max] ms per pair. */
    static LatencyModel uniform(long min, long max, long seed) {
        return new LatencyModel() {
            @Override
            public long oneWayMillis(int a, int b) {
                long h = mix(Math.min(a, b) * 0x9E3779B97F4A7C15L ^ Math.max(a, b) ^ seed);
                return min + Math.floorMod(h, max - min + 1);
            }

            @Override
            public String describe() {
                return "uniform " + min + "-" + max + " ms one way";
            }
        };
    }

    /**
     * Loads {@code country_rtt_stat.csv.gz} (and {@code intra_rtt_stat.csv.gz} beside it) and
     * places {@code nodes} nodes in countries; each pair's delay is sampled from its countries'
     * RTT distribution.
     */
    static LatencyModel countries(Path countryRtt, int nodes, long seed) throws IOException {
        return countries(countryRtt, nodes, seed, true);
    }

    /**
     * As {@link #countries(Path, int, long)}; with {@code sampled} false every pair sits at its
     * countries' mean RTT instead. The measured spreads include outliers of minutes (a pair's
     * standard deviation is often larger than its mean), so independent samples per pair break the
     * triangle inequality far more often than real paths do; the means show what geography alone
     * gives. The pseudo-country {@code None} (probes of unknown location) holds no node.
     */
    static LatencyModel countries(Path countryRtt, int nodes, long seed, boolean sampled) throws IOException {
        record Stat(double avg, double std, double min, double max) {
        }
        Map<String, Integer> index = new HashMap<>();
        List<Double> weight = new ArrayList<>();
        Map<Long, Stat> pairs = new HashMap<>();
        try (BufferedReader in = gunzip(countryRtt)) {
            String header = in.readLine();
            if (header == null || !header.startsWith("cty1,cty2,rtt_cnt,rtt_avg,rtt_std,rtt_min,rtt_max")) {
                throw new IOException(countryRtt + ": unexpected header " + header);
            }
            int lineNumber = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                String[] f = line.split(",", -1);
                if (f.length < 7 || f[3].isEmpty()) {
                    continue;
                }
                try {
                    double avg = Double.parseDouble(f[3]);
                    // A pair measured once has no spread; its average stands for every sample.
                    double std = f[4].isEmpty() ? 0 : Double.parseDouble(f[4]);
                    double min = f[5].isEmpty() ? avg : Double.parseDouble(f[5]);
                    double max = f[6].isEmpty() ? avg : Double.parseDouble(f[6]);
                    double count = f[2].isEmpty() ? 1 : Double.parseDouble(f[2]);
                    int a = index.computeIfAbsent(f[0], k -> { weight.add(0.0); return weight.size() - 1; });
                    int b = index.computeIfAbsent(f[1], k -> { weight.add(0.0); return weight.size() - 1; });
                    if (!UNKNOWN_COUNTRY.equals(f[0])) {
                        weight.set(a, weight.get(a) + count);
                    }
                    if (!UNKNOWN_COUNTRY.equals(f[1])) {
                        weight.set(b, weight.get(b) + count);
                    }
                    pairs.put(key(a, b), new Stat(avg, std, min, max));
                } catch (NumberFormatException e) {
                    throw new IOException(countryRtt + " line " + lineNumber + ": " + e.getMessage(), e);
                }
            }
        }
        Stat intra = new Stat(80.4, 103.5, 1, 250);
        Path intraFile = countryRtt.resolveSibling("intra_rtt_stat.csv.gz");
        if (Files.exists(intraFile)) {
            try (BufferedReader in = gunzip(intraFile)) {
                in.readLine();
                String[] f = in.readLine().split(",");
                intra = new Stat(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Math.max(1, Double.parseDouble(f[3])),
                        Math.min(2 * Double.parseDouble(f[1]) + 2 * Double.parseDouble(f[2]), Double.parseDouble(f[4])));
            }
        }
        double total = weight.stream().mapToDouble(Double::doubleValue).sum();
        int[] country = new int[nodes];
        Random random = new Random(seed);
        for (int i = 0; i < nodes; i++) {
            double r = random.nextDouble() * total;
            int c = 0;
            while (c < weight.size() - 1 && (r >= weight.get(c) || weight.get(c) == 0)) {
                r -= weight.get(c++);
            }
            country[i] = c;
        }
        Stat same = intra;
        int countries = (int) weight.stream().filter(w -> w > 0).count();
        return new LatencyModel() {
            @Override
            public long oneWayMillis(int a, int b) {
                int ca = country[a % nodes];
                int cb = country[b % nodes];
                Stat s = ca == cb ? same : pairs.get(key(ca, cb));
                if (s == null) {
                    s = same;
                }
                SplittableRandom r = new SplittableRandom(mix(Math.min(a, b) * 0x9E3779B97F4A7C15L ^ Math.max(a, b) ^ seed));
                double rtt = s.avg();
                for (int tries = 0; sampled && tries < 8; tries++) {
                    double sample = s.avg() + s.std() * gaussian(r);
                    if (sample >= s.min() && sample <= s.max()) {
                        rtt = sample;
                        break;
                    }
                }
                return Math.max(1, Math.round(rtt / 2));
            }

            @Override
            public String describe() {
                return "measured RTTs between " + countries + " countries (RIPE Atlas, 2025), "
                        + (sampled ? "each pair sampled from its countries' RTT distribution"
                        : "each pair at its countries' mean RTT");
            }
        };
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static long key(int a, int b) {
        return (long) Math.min(a, b) << 32 | Math.max(a, b);
    }

    private static BufferedReader gunzip(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
