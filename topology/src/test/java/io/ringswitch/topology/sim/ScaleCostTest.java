package io.ringswitch.topology.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a node costs while the ring forms grows with log N, not with N: counted in events and link
 * set-ups per node on virtual time, which no load on the machine changes (issue 21).
 */
class ScaleCostTest {

    private record Cost(double eventsPerNode, double linksSetUpPerNode, double consistency) {
    }

    private static Cost form(int nodes) {
        RingSimulation sim = new RingSimulation(new SimulationSpec(nodes, 5, null, RingConfig.defaults(), 10,
                LatencyModel.uniform(10, 100, 5), false));
        sim.form(line -> { });
        return new Cost(sim.clock().executed() / (double) nodes, sim.totals().get("ring.linksUp") / (double) nodes,
                sim.crawl().consistency());
    }

    @Test
    void fourTimesTheNodesCostEachNodeAboutLogNMoreNotFourTimesMore() {
        Cost small = form(150);
        Cost large = form(600);
        assertEquals(1.0, small.consistency());
        assertEquals(1.0, large.consistency());
        // ln 600 / ln 150 = 1.28; a cost that grew with N would be 4 times the small ring's.
        assertTrue(large.eventsPerNode() < 2 * small.eventsPerNode(), small + " then " + large);
        assertTrue(large.linksSetUpPerNode() < 2 * small.linksSetUpPerNode(), small + " then " + large);
    }

    @Test
    void joinsComeAtMostAThousandASecondPastThirtyThousandNodes() {
        assertEquals(5_000, RingSimulation.joinSpreadMillis(100));
        assertEquals(30_000, RingSimulation.joinSpreadMillis(10_000));
        assertEquals(30_000, RingSimulation.joinSpreadMillis(30_000));
        assertEquals(100_000, RingSimulation.joinSpreadMillis(100_000));
    }

    @Test
    void hopsAreFittedToLogNAndCarriedToAMillion() {
        List<ScaleSeries.Row> rows = List.of(row(1_024, 5.0), row(4_096, 6.0), row(16_384, 7.0));
        ScaleSeries.HopsFit fit = ScaleSeries.fit(rows);
        assertEquals(0.5, fit.slope(), 1e-9);
        assertEquals(0.0, fit.intercept(), 1e-9);
        assertEquals(0.5 * Math.log(1e6) / Math.log(2), fit.atMillion(), 1e-9);
    }

    private static ScaleSeries.Row row(int nodes, double hops) {
        return new ScaleSeries.Row(nodes, 1, 1, hops, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
