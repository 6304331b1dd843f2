package io.ringswitch.topology.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayReportTest {

    private static RelayReport.Run relayed(int run, int via, long setup, double rtt, double mbps) {
        return new RelayReport.Run(run, true, via, "relay", setup, setup + 50, rtt, mbps, null);
    }

    private static RelayReport.Run failed(int run) {
        return new RelayReport.Run(run, false, null, "ring", null, 900L, 2.5, 80.0, "no relayed link within 60 s");
    }

    @Test
    void percentilesInterpolateBetweenRanks() {
        RelayReport.Stats s = RelayReport.Stats.of(List.of(10, 1, 9, 2, 8, 3, 7, 4, 6, 5));
        assertEquals(10, s.n());
        assertEquals(5.5, s.median());
        assertEquals(1.9, s.p10());
        assertEquals(9.1, s.p90());
        assertEquals(1.0, s.min());
        assertEquals(10.0, s.max());
        RelayReport.Stats one = RelayReport.Stats.of(List.of(42L));
        assertEquals(List.of(42.0, 42.0, 42.0, 42.0, 42.0), Arrays.asList(one.median(), one.p10(), one.p90(), one.min(), one.max()));
        assertEquals(2.0, RelayReport.median(List.of(3.0, 1.0, 2.0)));
    }

    @Test
    void noFiguresGiveAnEmptyColumnNotZeros() {
        RelayReport.Stats none = RelayReport.Stats.of(Arrays.asList(null, null));
        assertEquals(0, none.n());
        assertNull(none.median());
        assertNull(none.max());
        assertEquals("-", RelayReport.cell(none, 1));
    }

    @Test
    void failedRunsAreCountedButAddNoFigure() {
        RelayReport.Row row = RelayReport.Row.of("latency", List.of(relayed(1, 5, 800, 1.2, 300), failed(2),
                relayed(3, 6, 1200, 1.4, 280), relayed(4, 5, 1000, 1.0, 320)));
        assertEquals(4, row.runs());
        assertEquals(1, row.failures());
        assertEquals(Map.of(5, 2, 6, 1), row.relays());
        assertEquals(3, row.setupMs().n(), "the failed run's figures are left out");
        assertEquals(1000.0, row.setupMs().median());
        assertEquals(1.2, row.latencyMs().median());
        assertEquals(300.0, row.throughputMbps().median());
        assertEquals(1050.0, row.firstPingMs().median());
        assertEquals(4, row.perRun().size(), "every run is kept as it went");
    }

    @Test
    void everyRunFailingGivesARowOfFailuresOnly() {
        RelayReport.Row row = RelayReport.Row.of("stability", List.of(failed(1), failed(2)));
        assertEquals(2, row.failures());
        assertTrue(row.relays().isEmpty());
        assertEquals(0, row.latencyMs().n());
    }

    @Test
    void theJsonCarriesEveryColumnsStatisticsTheLoadAndTheRuns() throws Exception {
        RelayReport report = new RelayReport("6 sites", "iperf3 at 100 Mbit/s", 2, List.of(
                RelayReport.Row.of("latency", List.of(relayed(1, 5, 800, 1.2, 300), relayed(2, 6, 900, 1.3, 310))),
                RelayReport.Row.of("stability", List.of(relayed(1, 1, 700, 2.2, 200), failed(2)))));
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals("iperf3 at 100 Mbit/s", json.get("load").asText());
        assertEquals(2, json.get("runs_per_choice").asInt());
        JsonNode latency = json.get("rows").get(0);
        assertEquals("latency", latency.get("choice").asText());
        for (String column : List.of("setup_ms", "first_ping_ms", "latency_ms", "throughput_mbps")) {
            for (String stat : List.of("median", "p10", "p90", "min", "max")) {
                assertTrue(latency.get(column).has(stat), column + "." + stat);
            }
        }
        assertEquals(850.0, latency.get("setup_ms").get("median").asDouble());
        assertEquals(1, latency.get("relays").get("5").asInt());
        JsonNode stability = json.get("rows").get(1);
        assertEquals(1, stability.get("failures").asInt());
        assertEquals(1, stability.get("relays").get("1").asInt());
        assertEquals("ring", stability.get("per_run").get(1).get("last_path").asText());
        assertTrue(stability.get("per_run").get(1).get("via").isNull());
    }

    @Test
    void theTableShowsMedianPercentilesRangeFailuresAndRelays() {
        RelayReport report = new RelayReport("6 sites", "none", 3, List.of(
                RelayReport.Row.of("latency", List.of(relayed(1, 5, 800, 1.25, 300), relayed(2, 5, 1000, 1.5, 310), failed(3)))));
        String table = report.table();
        assertTrue(table.contains("load: none"), table);
        assertTrue(table.contains("900 [820-980] (800-1000)"), table);
        assertTrue(table.contains("1.375 [1.275-1.475] (1.250-1.500)"), table);
        assertTrue(table.contains("1/3"), "failures of runs: " + table);
        assertTrue(table.contains("{5=2}"), table);
    }
}
