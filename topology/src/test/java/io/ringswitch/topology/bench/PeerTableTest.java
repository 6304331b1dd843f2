package io.ringswitch.topology.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerTableTest {

    @Test
    void oneLinePerSystemWithFiguresAndRatios() {
        List<String> lines = PeerTable.format(PeerReportTest.sample()).lines().toList();
        assertTrue(lines.get(0).contains("iperf3 5 s per run, 50 pings"), lines.get(0));
        String tinc = lines.stream().filter(l -> l.startsWith("tinc 1.0 switch")).findFirst().orElseThrow();
        assertEquals(List.of("tinc", "1.0", "switch", "400.0", "500.0", "0.500", "4.75", "2.00", "8.0/9.0", "0.50", "0.50", "3.00",
                        "2.00"),
                List.of(tinc.trim().split("\\s+")));
        String ringswitch = lines.stream().filter(l -> l.startsWith("RingSwitch ")).findFirst().orElseThrow();
        assertTrue(ringswitch.trim().endsWith("-       -       -       -"), ringswitch);
        assertTrue(ringswitch.contains(" 4.00 "), "RingSwitch's own CPU per Gbit: " + ringswitch);
        String veth = lines.stream().filter(l -> l.startsWith("raw veth")).findFirst().orElseThrow();
        assertTrue(veth.contains("14000.0") && veth.contains("0.050") && veth.contains(" - "), veth);
    }

    @Test
    void aFailedSystemSaysWhyUnderItsRow() {
        List<String> lines = PeerTable.format(PeerReportTest.sample()).lines().toList();
        int row = lines.indexOf(lines.stream().filter(l -> l.startsWith("n2n v1")).findFirst().orElseThrow());
        assertTrue(lines.get(row).matches("n2n v1(\\s+-)+\\s*"), lines.get(row));
        assertEquals("    failed: apt-get install n2n failed: E: Unable to locate package n2n", lines.get(row + 1));
    }

    @Test
    void numbersAndMemory() {
        assertEquals("-", PeerTable.number(null, 1));
        assertEquals("-", PeerTable.number(Double.NaN, 1));
        assertEquals("0.068", PeerTable.number(0.0675, 3));
        assertEquals("-", PeerTable.memory(Map.of()));
        assertEquals("1.5/-", PeerTable.memory(Map.of("a", 1536L)));
    }
}
