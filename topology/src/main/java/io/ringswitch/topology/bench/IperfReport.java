package io.ringswitch.topology.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;

/**
 * The part of iperf3's {@code -J} output that the bench reads (iperf3 3.12): for TCP the receiver's
 * {@code end.sum_received}; for UDP the same block, where the server's datagram loss and jitter
 * are reported back to the client.
 *
 * @param error set instead of {@code end} when the test did not run
 * @param end   the totals of the test
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record IperfReport(String error, End end) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The totals over all streams. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record End(Sum sumReceived) {
    }

    /** Bytes per second as the receiver saw them; for UDP also loss and jitter. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Sum(double bitsPerSecond, double lostPercent, double jitterMs) {
        double mbps() {
            return bitsPerSecond / 1e6;
        }
    }

    /** Reads iperf3's JSON; throws with iperf3's own error when the test did not run. */
    static Sum parse(String json) throws IOException {
        IperfReport report;
        try {
            report = JSON.readValue(json, IperfReport.class);
        } catch (IOException e) {
            throw new IOException("iperf3 printed no JSON report: " + json.strip().lines().findFirst().orElse(""), e);
        }
        if (report.error() != null) {
            throw new IOException("iperf3: " + report.error());
        }
        if (report.end() == null || report.end().sumReceived() == null) {
            throw new IOException("iperf3 reported no totals");
        }
        return report.end().sumReceived();
    }
}
