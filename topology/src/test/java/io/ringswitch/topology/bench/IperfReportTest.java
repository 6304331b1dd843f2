package io.ringswitch.topology.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class IperfReportTest {

    @Test
    void readsTheReceiverTotalsOfAUdpRun() throws IOException {
        String json = """
                {"start": {"version": "iperf 3.12"}, "intervals": [],
                 "end": {"streams": [],
                   "sum": {"bits_per_second": 199937703.4, "lost_percent": 4.32, "sender": true},
                   "sum_sent": {"bits_per_second": 199937703.4, "lost_percent": 0, "jitter_ms": 0, "sender": true},
                   "sum_received": {"start": 0, "end": 2.0002, "bytes": 47827200, "bits_per_second": 191289671.0,
                                    "jitter_ms": 0.0015, "lost_packets": 1800, "packets": 41656, "lost_percent": 4.32,
                                    "sender": false},
                   "cpu_utilization_percent": {"host_total": 40.1}}}
                """;
        IperfReport.Sum sum = IperfReport.parse(json);
        assertEquals(191.289671, sum.mbps(), 1e-6);
        assertEquals(4.32, sum.lostPercent(), 1e-9);
        assertEquals(0.0015, sum.jitterMs(), 1e-9);
    }

    @Test
    void readsATcpRunWithoutLossFields() throws IOException {
        IperfReport.Sum sum = IperfReport.parse("{\"end\": {\"sum_received\": {\"bits_per_second\": 2.5e8, \"sender\": false}}}");
        assertEquals(250.0, sum.mbps(), 1e-9);
        assertEquals(0.0, sum.lostPercent());
    }

    @Test
    void iperfsOwnErrorIsTheMessage() {
        IOException e = assertThrows(IOException.class,
                () -> IperfReport.parse("{\"start\": {}, \"intervals\": [], \"end\": {}, \"error\": \"unable to connect to server: Connection refused\"}"));
        assertEquals("iperf3: unable to connect to server: Connection refused", e.getMessage());
        IOException garbage = assertThrows(IOException.class, () -> IperfReport.parse("iperf3: error - some text\n"));
        assertTrue(garbage.getMessage().startsWith("iperf3 printed no JSON report: iperf3: error"), garbage.getMessage());
        assertThrows(IOException.class, () -> IperfReport.parse("{\"end\": {}}"));
    }
}
