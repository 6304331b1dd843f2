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
        JsonNode server = report.path("server_output_json").path("intervals");
        JsonNode intervals = server.isArray() && !server.isEmpty() ? server : report.path("intervals");
        if (!intervals.isArray() || intervals.isEmpty()) {
            throw new IOException("iperf3 reported no intervals");
        }
        List<Double> mbps = new ArrayList<>();
        for (JsonNode interval : intervals) {
            JsonNode seconds = interval.path("sum").path("seconds");
            if (seconds.isNumber() && seconds.asDouble() < SHORTEST && !mbps.isEmpty()) {
                // the few milliseconds after the last full second, which iperf3 reports on their own
                continue;
            }
            JsonNode bits = interval.path("sum").path("bits_per_second");
            if (!bits.isNumber()) {
                throw new IOException("iperf3 interval without bits_per_second: " + interval);
            }
            mbps.add(bits.asDouble() / 1e6);
        }
        return mbps;
    }
}
