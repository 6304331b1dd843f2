package io.ringswitch.topology.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns iperf3's {@code -J -i 1} report (iperf3 3.12) into the Mbit/s of each interval. With
 * {@code --get-server-output} and a server started with {@code -J}, the client's report holds
 * the server's under {@code server_output_json}: those are the receiver's intervals, which this
 * prefers, since the sender's first interval also counts what sat in its socket buffer. Without
 * them it falls back to the client's (sender's) intervals. The tail iperf3 reports after the last
 * full interval (a few milliseconds, often at a rate far from the others') is left out.
 */
final class IperfIntervals {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Intervals shorter than this (seconds), after the first, are the test's tail end and left out. */
    private static final double SHORTEST = 0.5;

    private IperfIntervals() {
    }

    /** Mbit/s per interval, in order; throws with iperf3's own error when the test did not run. */
    static List<Double> parse(String json) throws IOException {
        JsonNode report = read(json);
        JsonNode server = report.path("server_output_json").path("intervals");
        JsonNode intervals = server.isArray() && !server.isEmpty() ? server : report.path("intervals");
        List<Double> mbps = new ArrayList<>();
        for (JsonNode interval : full(intervals)) {
            JsonNode bits = interval.path("sum").path("bits_per_second");
            if (!bits.isNumber()) {
                throw new IOException("iperf3 interval without bits_per_second: " + interval);
            }
            mbps.add(bits.asDouble() / 1e6);
        }
        return mbps;
    }

    /**
     * The sender's TCP retransmissions per interval (the client's own intervals, Linux's
     * {@code tcpi_total_retrans} differences), in order; empty where iperf3 does not report them.
     */
    static List<Long> retransmits(String json) throws IOException {
        List<Long> out = new ArrayList<>();
        for (JsonNode interval : full(read(json).path("intervals"))) {
            JsonNode n = interval.path("sum").path("retransmits");
            if (!n.isNumber()) {
                return List.of();
            }
            out.add(n.asLong());
        }
        return out;
    }

    /** The intervals but iperf3's tail: those after the first that are shorter than {@link #SHORTEST}. */
    private static List<JsonNode> full(JsonNode intervals) throws IOException {
        if (!intervals.isArray() || intervals.isEmpty()) {
            throw new IOException("iperf3 reported no intervals");
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode interval : intervals) {
            JsonNode seconds = interval.path("sum").path("seconds");
            if (seconds.isNumber() && seconds.asDouble() < SHORTEST && !out.isEmpty()) {
                continue;
            }
            out.add(interval);
        }
        return out;
    }

    private static JsonNode read(String json) throws IOException {
        JsonNode report;
        try {
            report = JSON.readTree(json);
        } catch (IOException e) {
            throw new IOException("iperf3 printed no JSON report: " + json.strip().lines().findFirst().orElse(""), e);
        }
        if (report == null || !report.isObject()) {
            throw new IOException("iperf3 printed no JSON report: " + json.strip().lines().findFirst().orElse(""));
        }
        if (report.hasNonNull("error")) {
            throw new IOException("iperf3: " + report.get("error").asText());
        }
        return report;
    }
}
