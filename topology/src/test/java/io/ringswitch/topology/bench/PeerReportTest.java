package io.ringswitch.topology.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerReportTest {

    static PeerResult measured(String id, String label, double tcp, double tcp4, double rtt, double cpuPerGbit) {
        return new PeerResult(id, label, null, tcp, tcp4, rtt, 50, 50, new PeerResult.Udp(200, 190.5, 4.75, 0.02),
                cpuPerGbit * tcp * 5 / 1000, cpuPerGbit, Map.of("a", 8192L, "b", 9216L), List.of(new PeerResult.DaemonMemory("a", "tincd", 42, 8192),
                new PeerResult.DaemonMemory("b", "tincd", 43, 9216)), null);
    }

    static PeerReport sample() {
        return PeerReport.of(5, 50, 200, List.of(
                new PeerResult("veth", "raw veth", null, 14000.0, 16000.0, 0.05, 50, 50, new PeerResult.Udp(200, 199, 0, 0.001),
                        null, null, Map.of(), List.of(), null),
                measured("ringswitch", "RingSwitch", 200, 250, 1.5, 4.0),
                measured("tinc", "tinc 1.0 switch", 400, 500, 0.5, 2.0),
                PeerResult.failed("n2n", "n2n v1", "apt-get install n2n failed: E: Unable to locate package n2n")));
    }

    @Test
    void ratiosAreRingSwitchOverTheSystem() {
        PeerReport report = sample();
        PeerResult.Ratio tinc = report.systems().get(2).ringswitchRatio();
        assertEquals(0.5, tinc.tcp(), 1e-9);
        assertEquals(0.5, tinc.tcp4(), 1e-9);
        assertEquals(3.0, tinc.rtt(), 1e-9);
        assertEquals(2.0, tinc.cpu(), 1e-9, "RingSwitch spends twice tinc's CPU per Gbit");
        assertNull(report.systems().get(0).ringswitchRatio().cpu(), "a bare veth has no daemons to measure");
        assertEquals(200.0 / 14000, report.systems().get(0).ringswitchRatio().tcp(), 1e-12);
        assertNull(report.systems().get(1).ringswitchRatio(), "RingSwitch is not compared with itself");
        PeerResult.Ratio failed = report.systems().get(3).ringswitchRatio();
        assertNull(failed.tcp());
        assertNull(failed.rtt());
        assertTrue(report.ringswitchMeasured());
    }

    @Test
    void withoutRingSwitchFiguresThereAreNoRatios() {
        PeerReport report = PeerReport.of(5, 50, 200, List.of(PeerResult.failed("ringswitch", "RingSwitch", "lab failed"),
                measured("tinc", "tinc", 400, 500, 0.5, 2.0)));
        assertNull(report.systems().get(1).ringswitchRatio().tcp());
        assertFalse(report.ringswitchMeasured());
    }

    @Test
    void jsonIsOneObjectInSnakeCase() throws Exception {
        JsonNode json = new ObjectMapper().readTree(sample().toJson());
        assertEquals(5, json.get("seconds").asInt());
        assertEquals(50, json.get("pings").asInt());
        assertEquals(200, json.get("udp_target_mbps").asInt());
        assertEquals(4, json.get("systems").size());

        JsonNode tinc = json.get("systems").get(2);
        assertEquals("tinc", tinc.get("id").asText());
        assertTrue(tinc.get("ok").asBoolean());
        assertTrue(tinc.get("error").isNull());
        assertEquals(400.0, tinc.get("tcp_mbps").asDouble());
        assertEquals(500.0, tinc.get("tcp4_mbps").asDouble());
        assertEquals(0.5, tinc.get("rtt_ms_avg").asDouble());
        assertEquals(50, tinc.get("ping_received").asInt());
        assertEquals(4.75, tinc.get("udp").get("loss_percent").asDouble());
        assertEquals(200, tinc.get("udp").get("target_mbps").asInt());
        assertEquals(9216, tinc.get("rss_kb").get("b").asLong());
        assertEquals("tincd", tinc.get("daemons").get(0).get("process").asText());
        assertEquals(3.0, tinc.get("ringswitch_ratio").get("rtt").asDouble(), 1e-9);
        assertEquals(2.0, tinc.get("cpu_seconds_per_gbit").asDouble(), 1e-9);
        assertEquals(4.0, tinc.get("cpu_seconds").asDouble(), 1e-9);

        JsonNode n2n = json.get("systems").get(3);
        assertFalse(n2n.get("ok").asBoolean());
        assertTrue(n2n.get("error").asText().contains("Unable to locate package"));
        assertTrue(n2n.get("tcp_mbps").isNull());
        assertTrue(n2n.get("ringswitch_ratio").get("tcp").isNull());
    }
}
