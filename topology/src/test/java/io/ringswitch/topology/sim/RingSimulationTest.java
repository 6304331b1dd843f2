package io.ringswitch.topology.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator at a size that runs in seconds; the 10,000-node figures come from ringswitch sim. */
class RingSimulationTest {
    private static final int PROBES = 500;

    private static Map<String, Object> run(int nodes, long seed, ChurnSpec churn) {
        RingSimulation sim = new RingSimulation(new SimulationSpec(nodes, seed, churn, RingConfig.defaults(), PROBES,
                LatencyModel.uniform(10, 100, seed), false));
        return sim.run(line -> { });
    }

    @Test
    void aSteadyRingIsConsistentDeliversEverythingAndBroadcastsOnce() {
        Map<String, Object> report = run(300, 1, null);
        assertEquals(1.0, report.get("consistency"));
        assertEquals(1.0, report.get("delivery"));
        assertTrue((double) report.get("mean_hops") < 6, "mean hops " + report.get("mean_hops"));
        assertEquals(PROBES, report.get("probes"), "every probe sent is counted, not only the first");
        @SuppressWarnings("unchecked")
        Map<String, Object> broadcast = (Map<String, Object>) report.get("broadcast");
        assertEquals(0L, broadcast.get("misses"));
        assertEquals(0L, broadcast.get("duplicates"));
        assertEquals(299L, broadcast.get("reached"));
    }

    @Test
    void churnHealsWithinAMinuteAndAlmostNothingIsLost() {
        Map<String, Object> report = run(300, 2, ChurnSpec.parse("crash=10%,join=10%,within=60s"));
        @SuppressWarnings("unchecked")
        Map<String, Object> churn = (Map<String, Object>) report.get("churn");
        assertNotNull(churn.get("recovered_after_s"), "consistency never came back: " + churn);
        assertTrue((double) churn.get("recovered_after_s") <= 60, churn.toString());
        assertEquals(1.0, churn.get("consistency"));
        assertTrue((double) churn.get("delivery") >= 0.99, churn.toString());
        assertEquals(1000, churn.get("probes_sent"), "every probe sent during the churn is counted");
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        Map<String, Object> a = run(150, 3, ChurnSpec.parse("crash=10%,join=10%,within=20s"));
        Map<String, Object> b = run(150, 3, ChurnSpec.parse("crash=10%,join=10%,within=20s"));
        for (String machine : new String[] {"wall_seconds", "form_wall_seconds", "form_cpu_seconds", "cpu_seconds",
                "process_cpu_seconds", "form_process_cpu_seconds",
                "gc_seconds", "memory"}) {
            a.remove(machine);
            b.remove(machine);
        }
        assertEquals(a, b);
    }

    @Test
    void churnSpecsAreParsedAndBadOnesExplained() {
        assertEquals(new ChurnSpec(0.1, 0.05, 90_000), ChurnSpec.parse("crash=10%,join=5%,within=90s"));
        assertEquals(new ChurnSpec(0.2, 0, 120_000), ChurnSpec.parse("crash=0.2, within=2m"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChurnSpec.parse("kill=10%"));
        assertTrue(e.getMessage().contains("kill"));
        assertThrows(IllegalArgumentException.class, () -> ChurnSpec.parse("crash=ten"));
        assertThrows(IllegalArgumentException.class, () -> ChurnSpec.parse("crash=90%"));
    }

    @Test
    void measuredCountryRttsAreLoadedWithGapsInTheTable(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path table = dir.resolve("country_rtt_stat.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(table))) {
            out.write(("cty1,cty2,rtt_cnt,rtt_avg,rtt_std,rtt_min,rtt_max\n"
                    + "AA,BB,10,100.0,5.0,90.0,110.0\n"
                    + "AA,CC,1,40.0,,40.0,40.0\n"
                    + "BB,CC,3,60.0,1.0,58.0,62.0\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        LatencyModel model = LatencyModel.countries(table, 200, 1);
        for (int a = 0; a < 200; a++) {
            for (int b = 0; b < 200; b++) {
                long d = model.oneWayMillis(a, b);
                assertTrue(d >= 1 && d <= 125, "one way " + d + " ms");
                assertEquals(d, model.oneWayMillis(b, a));
            }
        }
        java.nio.file.Path bad = dir.resolve("bad.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(bad))) {
            out.write("cty1,cty2,rtt_cnt,rtt_avg,rtt_std,rtt_min,rtt_max\nAA,BB,1,fast,1,1,1\n".getBytes());
        }
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> LatencyModel.countries(bad, 10, 1));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void latencyIsStablePerPairAndWithinItsRange() {
        LatencyModel model = LatencyModel.uniform(10, 100, 5);
        for (int a = 0; a < 50; a++) {
            for (int b = 0; b < 50; b++) {
                long d = model.oneWayMillis(a, b);
                assertTrue(d >= 10 && d <= 100);
                assertEquals(d, model.oneWayMillis(b, a));
            }
        }
    }
}
