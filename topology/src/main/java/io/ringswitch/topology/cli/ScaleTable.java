package io.ringswitch.topology.cli;

import io.ringswitch.topology.sim.ScaleSeries;
import java.util.ArrayList;
import java.util.List;

/** {@code sim --scale}'s report as a table for a terminal: one line per ring size, then the fit of hops. */
final class ScaleTable {
    private ScaleTable() {
    }

    static List<String> lines(ScaleSeries.Report report) {
        List<String> out = new ArrayList<>();
        String head = "%7s %7s %7s %6s %5s %7s %7s %7s %7s %7s %6s %7s %6s %6s %7s %7s %6s %8s %11s";
        out.add(String.format(head, "nodes", "consist", "deliv", "hops", "p99", "formed", "form", "wall", "CPU", "CPU", "GC",
                "events", "links", "links", "upkeep", "heap", "heap", "peak", "load"));
        out.add(String.format(head, "", "", "", "mean", "hops", "virt s", "wall s", "wall s", "thread s", "proc s", "s", "/node",
                "set up", "held", "B/s/nd", "live MB", "KB/nd", "RSS MB", "1m avg"));
        for (ScaleSeries.Row r : report.rows()) {
            out.add(String.format("%7d %7.4f %7.4f %6.2f %5d %7.0f %7.1f %7.1f %7.1f %7.1f %6.1f %7.0f %6.1f %6.1f %7d %7.0f %6.1f %8.0f %5.1f-%5.1f",
                    r.nodes(), r.consistency(), r.delivery(), r.meanHops(), r.p99Hops(), r.formedAfterSeconds(),
                    r.formWallSeconds(), r.wallSeconds(), r.cpuSeconds(), r.processCpuSeconds(), r.gcSeconds(), r.eventsPerNodeForming(),
                    r.linksSetUpPerNodeForming(),
                    r.linksPerNode(), r.steadyBytesPerNodePerSecond(), r.heapLiveMb(), r.heapKbPerNode(),
                    r.processPeakRssMb(), r.loadBefore(), r.loadAfter()));
        }
        ScaleSeries.HopsFit fit = report.hops();
        out.add("");
        out.add(String.format("mean hops ~ %.2f + %.3f log2 N (least squares over the rows); at 1,000,000 nodes: %.1f "
                + "(extrapolated, not simulated)", fit.intercept(), fit.slope(), fit.atMillion()));
        out.add(String.format("events/node and links set up/node: while the ring forms (joins, then until the crawl is "
                + "consistent); heap live: after a full GC once formed; peak RSS: the process so far; "
                + "CPU thread: the simulator thread's (every node runs on it); CPU proc: the whole process's, the collector's "
                + "and compiler's threads included, the cost on one core whatever the load; "
                + "JVM heap limit %.0f MB, %d processors; load: the machine's 1-minute load average before-after the row",
                report.heapMaxMb(), report.processors()));
        return out;
    }
}
