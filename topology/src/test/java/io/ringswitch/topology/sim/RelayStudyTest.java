package io.ringswitch.topology.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The relay study on small rings: the same seed gives the same pairs, and its figures obey geometry where the delays do. */
class RelayStudyTest {

    /**
     * Nodes at seeded points of a 150 × 150 ms square, delay 1 + ⌈distance⌉: a metric, so no
     * detour can beat the direct path (⌈x⌉ + ⌈y⌉ ≥ ⌈x + y⌉).
     */
    private static LatencyModel plane(int nodes, long seed) {
        double[] x = new double[nodes];
        double[] y = new double[nodes];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < nodes; i++) {
            x[i] = random.nextDouble(150);
            y[i] = random.nextDouble(150);
        }
        return new LatencyModel() {
            @Override
            public long oneWayMillis(int a, int b) {
                return 1 + (long) Math.ceil(Math.hypot(x[a] - x[b], y[a] - y[b]));
            }

            @Override
            public String describe() {
                return "points in a plane";
            }
        };
    }

    private static RelayStudy study(int pairs, RelayStudy.Latencies latencies) {
        return new RelayStudy(new RelayStudy.Spec(List.of(40), List.of(1L), pairs, RingConfig.defaults(), latencies));
    }

    @Test
    void theSameSeedGivesTheSamePairs() throws Exception {
        RelayStudy study = study(300, (n, seed) -> LatencyModel.uniform(10, 100, seed));
        RelayStudy.Run a = study.measure(40, 5, line -> { });
        RelayStudy.Run b = study.measure(40, 5, line -> { });
        assertEquals(300, a.pairs().size(), "every probe arrives on a settled ring");
        assertEquals(a, b);
        assertFalse(a.equals(study.measure(40, 6, line -> { })), "another seed, another ring");
    }

    @Test
    void withMetricDelaysNoRelayNorRouteBeatsTheDirectPath() throws Exception {
        RelayStudy.Run run = study(400, RelayStudyTest::plane).measure(60, 3, line -> { });
        assertEquals(400, run.pairs().size());
        for (RelayStudy.Pair p : run.pairs()) {
            assertTrue(p.candidates() > 0, p.toString());
            assertTrue(p.directMillis() <= p.relayByLatencyMillis(), p.toString());
            assertTrue(p.relayByLatencyMillis() <= p.relayByStabilityMillis(), "latency picks the best: " + p);
            assertTrue(p.relayByLatencyMillis() <= p.relayByKnownRttMillis(), p.toString());
            assertTrue(p.directMillis() <= p.ringMillis(), p.toString());
            if (p.hops() == 1) {
                assertEquals(p.directMillis(), p.ringMillis(), "one hop is the direct path: " + p);
            }
        }
        RelayStudy.Row row = RelayStudy.summarise(60, List.of(run));
        assertEquals(0.0, row.relayBeatsDirect());
        assertEquals(0.0, row.ringBeatsDirect());
    }

    @Test
    void perPairDelaysBreakTheTriangleAndTheStudyCountsIt() throws Exception {
        RelayStudy.Run run = study(400, (n, seed) -> LatencyModel.uniform(10, 100, seed)).measure(60, 3, line -> { });
        RelayStudy.Row row = RelayStudy.summarise(60, List.of(run));
        assertTrue(row.relayBeatsDirect() > 0, "independent delays per pair: a detour often wins " + row);
        assertTrue(run.pairs().stream().allMatch(p -> p.relayByLatencyMillis() <= p.relayByStabilityMillis()));
    }

    @Test
    void relaysFasterIsOneMinusMeanRelayOverMeanRing() {
        List<RelayStudy.Pair> pairs = List.of(
                new RelayStudy.Pair(0, 1, 50, 200, 3, 60, 70, 80, 4, true),
                new RelayStudy.Pair(2, 3, 40, 100, 2, 40, 50, 120, 4, false),
                new RelayStudy.Pair(4, 5, 30, 30, 1, -1, -1, -1, 0, false));
        RelayStudy.Row row = RelayStudy.summarise(100, List.of(new RelayStudy.Run(100, 1, "test", 1.0, 4, pairs, 0.0)));
        assertEquals(1 - 50.0 / 150, row.relayFasterByLatency(), 0.001, "only pairs with a relay count");
        assertEquals(1 - 100.0 / 150, row.relayFasterByStability(), 0.001);
        assertEquals(1 - 60.0 / 150, row.relayFasterByKnownRtt(), 0.001);
        assertEquals(0.54, row.paperRelayFaster());
        assertEquals(0.75, row.delivery());
        assertEquals(100.0, row.ring().median());
        assertEquals(2.0, row.meanHops());
        assertNull(RelayStudy.summarise(50, List.of(new RelayStudy.Run(50, 1, "test", 1.0, 3, pairs, 0.0))).paperRelayFaster());
    }
}
