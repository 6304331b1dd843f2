package io.ringswitch.topology.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IperfIntervalsTest {

    @Test
    void prefersTheReceiversIntervalsWhenTheServerSentThemAndLeavesOutTheTail() throws IOException {
        String json = """
                {"start": {}, "intervals": [
                   {"streams": [], "sum": {"start": 0, "end": 1.0, "bits_per_second": 9.0e8, "sender": true}},
                   {"streams": [], "sum": {"start": 1.0, "end": 2.0, "bits_per_second": 1.1e9, "sender": true}}],
                 "end": {},
                 "server_output_json": {"start": {}, "intervals": [
                   {"streams": [], "sum": {"start": 0, "end": 1.0, "bits_per_second": 6.0e8, "sender": false}},
                   {"streams": [], "sum": {"start": 1.0, "end": 2.0, "bits_per_second": 1.2e9, "sender": false}},
                   {"streams": [], "sum": {"start": 2.0, "end": 2.04, "seconds": 0.04, "bits_per_second": 2.0e8}}],
                   "end": {}}}
                """;
        assertEquals(List.of(600.0, 1200.0), IperfIntervals.parse(json));
    }

    @Test
    void readsTheSendersRetransmissionsPerInterval() throws IOException {
        String json = """
                {"intervals": [{"sum": {"seconds": 1.0, "bits_per_second": 1e8, "retransmits": 37}},
                               {"sum": {"seconds": 1.0, "bits_per_second": 2e8, "retransmits": 0}},
                               {"sum": {"seconds": 0.01, "bits_per_second": 2e8, "retransmits": 5}}], "end": {}}
                """;
        assertEquals(List.of(37L, 0L), IperfIntervals.retransmits(json));
        assertEquals(List.of(), IperfIntervals.retransmits("{\"intervals\": [{\"sum\": {\"bits_per_second\": 1e8}}]}"),
                "a receiver's report has none");
    }

    @Test
    void fallsBackToTheSendersIntervals() throws IOException {
        String json = """
                {"intervals": [{"sum": {"start": 0, "end": 1.0, "bits_per_second": 2.5e8}},
                               {"sum": {"start": 1.0, "end": 2.0, "bits_per_second": 5.0e8}}],
                 "end": {}, "server_output_text": "Accepted connection ..."}
                """;
        assertEquals(List.of(250.0, 500.0), IperfIntervals.parse(json));
    }

    @Test
    void iperfsErrorOrNoIntervalsIsRefused() {
        IOException e = assertThrows(IOException.class,
                () -> IperfIntervals.parse("{\"intervals\": [], \"end\": {}, \"error\": \"unable to connect to server\"}"));
        assertEquals("iperf3: unable to connect to server", e.getMessage());
        assertThrows(IOException.class, () -> IperfIntervals.parse("{\"intervals\": [], \"end\": {}}"));
        assertThrows(IOException.class, () -> IperfIntervals.parse("iperf3: error - the server is busy\n"));
        assertThrows(IOException.class, () -> IperfIntervals.parse("{\"intervals\": [{\"sum\": {}}]}"));
    }
}
