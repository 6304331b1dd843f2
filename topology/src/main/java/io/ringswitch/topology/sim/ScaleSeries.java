package io.ringswitch.topology.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The simulator's cost as the ring grows (issue 21): one standard run per ring size, one after
 * the other in this JVM, with wall time, virtual-time events and link set-ups per node while the
 * ring forms, the heap the nodes hold, and the ring's own figures (consistency, delivery, hops,
 * upkeep traffic). Mean hops are fitted to {@code a + b log2 N} and carried to a million nodes,
 * an extrapolation from at most 100,000, and said to be one.
 */
public final class ScaleSeries {
    /** The sizes of the series: 1,000 to 100,000 nodes. */
    public static final List<Integer> SIZES = List.of(1_000, 10_000, 20_000, 50_000, 100_000);

    /** Makes the spec of the run at one ring size. */
    @FunctionalInterface
    public interface Specs {
        SimulationSpec forNodes(int nodes) throws IOException;
    }

    /**
     * One ring size's run: its figures, and the machine's one-minute load average before and after it. The
     * CPU seconds are the simulator thread's (it runs every node): the run's cost on one core however
     * loaded the machine was; process CPU seconds add the collector's and the compiler's threads (all
     * the process cost, which is what "one core" must hold); GC seconds are the collectors' pauses.
     */
    public record Row(int nodes, double consistency, double delivery, double meanHops, int p99Hops, long broadcastMisses,
                      double formedAfterSeconds, double formWallSeconds, double wallSeconds, double cpuSeconds,
                      double processCpuSeconds, double gcSeconds, double eventsPerNodeForming,
                      double linksSetUpPerNodeForming, double linksPerNode, long steadyBytesPerNodePerSecond,
                      double heapLiveMb, double heapKbPerNode, double heapPeakUsedMb, double processPeakRssMb,
                      double loadBefore, double loadAfter) {
    }

    /** {@code meanHops = intercept + slope * log2(nodes)}, least squares, and its value at 10^6 nodes. */
    public record HopsFit(double intercept, double slope, double atMillion) {
    }

    /** The series, the fit, and the JVM's heap limit and processors. */
    public record Report(List<Row> rows, HopsFit hops, double heapMaxMb, int processors) {
    }

    private final Specs specs;
    private final List<Integer> sizes;

    public ScaleSeries(Specs specs, List<Integer> sizes) {
        this.specs = specs;
        this.sizes = List.copyOf(sizes);
    }

    public Report run(Consumer<String> progress) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (int n : sizes) {
            progress.accept("scale: " + n + " nodes");
            double loadBefore = loadAverage();
            Map<String, Object> r = new RingSimulation(specs.forNodes(n)).run(progress);
            @SuppressWarnings("unchecked")
            Map<String, Object> memory = (Map<String, Object>) r.get("memory");
            @SuppressWarnings("unchecked")
            Map<String, Object> broadcast = (Map<String, Object>) r.get("broadcast");
            Row row = new Row(n, (double) r.get("consistency"), (double) r.get("delivery"), (double) r.get("mean_hops"),
                    (int) r.get("p99_hops"), (long) broadcast.get("misses"), (double) r.get("formed_after_s"),
                    (double) r.get("form_wall_seconds"), (double) r.get("wall_seconds"), (double) r.get("cpu_seconds"),
                    (double) r.get("process_cpu_seconds"), (double) r.get("gc_seconds"),
                    (double) r.get("events_per_node_while_forming"), (double) r.get("links_set_up_per_node_while_forming"),
                    (double) r.get("links_per_node"), (long) r.get("steady_bytes_per_node_per_s"),
                    (double) memory.get("heap_live_mb_formed"), (double) memory.get("heap_live_kb_per_node"),
                    (double) memory.get("heap_peak_used_mb"), (double) memory.get("process_peak_rss_mb"), loadBefore,
                    loadAverage());
            rows.add(row);
            progress.accept("scale: " + row);
        }
        return new Report(rows, fit(rows), HeapGauge.maxHeap() / 1e6, Runtime.getRuntime().availableProcessors());
    }

    /** Least squares of mean hops on log2 of the size; NaN with fewer than two sizes. */
    static HopsFit fit(List<Row> rows) {
        int n = rows.size();
        if (n < 2) {
            return new HopsFit(Double.NaN, Double.NaN, Double.NaN);
        }
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Row r : rows) {
            double x = Math.log(r.nodes()) / Math.log(2);
            sx += x;
            sy += r.meanHops();
            sxx += x * x;
            sxy += x * r.meanHops();
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double intercept = (sy - slope * sx) / n;
        return new HopsFit(intercept, slope, intercept + slope * Math.log(1e6) / Math.log(2));
    }

    /** The one-minute load average ({@code /proc/loadavg}, proc(5)); -1 where there is none. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
