package io.ringswitch.topology.bench;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code bench --peers} report as a plain-text table: one line per system with its figures
 * and, on the right, RingSwitch's figures divided by that system's. A system that failed shows
 * what it measured before it failed, and why, on the next line.
 */
public final class PeerTable {
    private static final String ROW = "%-22s %10s %10s %8s %9s %9s %11s   %7s %7s %7s %7s%n";

    private PeerTable() {
    }

    /** The whole table, lines ending in a newline. */
    public static String format(PeerReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "iperf3 %d s per run, %d pings 0.1 s apart, UDP at %d Mbit/s; RSS summed per side; "
                        + "CPU: the daemons' CPU seconds per Gbit of the TCP run (= cores per Gbit/s)%n",
                report.seconds(), report.pings(), report.udpTargetMbps()));
        out.append(String.format(Locale.ROOT, ROW, "", "TCP", "TCP x4", "RTT", "UDP loss", "CPU", "RSS MB", "RingSwitch / system",
                "", "", ""));
        out.append(String.format(Locale.ROOT, ROW, "system", "Mbit/s", "Mbit/s", "avg ms", "%", "s/Gbit", "side a/b", "TCP",
                "TCP x4", "RTT", "CPU"));
        for (PeerResult r : report.systems()) {
            PeerResult.Ratio ratio = r.ringswitchRatio();
            out.append(String.format(Locale.ROOT, ROW, r.label(), number(r.tcpMbps(), 1), number(r.tcp4Mbps(), 1),
                    number(r.rttMsAvg(), 3), r.udp() == null ? "-" : number(r.udp().lossPercent(), 2),
                    number(r.cpuSecondsPerGbit(), 2), memory(r.rssKb()),
                    ratio == null ? "-" : number(ratio.tcp(), 2), ratio == null ? "-" : number(ratio.tcp4(), 2),
                    ratio == null ? "-" : number(ratio.rtt(), 2), ratio == null ? "-" : number(ratio.cpu(), 2)));
            if (!r.ok()) {
                out.append("    failed: ").append(firstLine(r.error())).append(System.lineSeparator());
            }
        }
        return out.toString();
    }

    static String number(Double value, int decimals) {
        if (value == null || value.isNaN()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** Side a and side b in MB, {@code -} for a side without daemons. */
    static String memory(Map<String, Long> rssKb) {
        if (rssKb == null || rssKb.isEmpty()) {
            return "-";
        }
        return side(rssKb.get("a")) + "/" + side(rssKb.get("b"));
    }

    private static String side(Long kb) {
        return kb == null ? "-" : String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
