package io.ringswitch.topology.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ColdThroughputReportTest {

    private static ColdThroughputReport.Round round(String build, int n, long ping, List<Double> cold, List<Double> warm) {
        return new ColdThroughputReport.Round(build, n, 1.0, 2.0, ping, cold, warm, List.of(300L, 10L), List.of(0L, 0L),
                List.of(40L, 2L), List.of(0L, 0L), List.of(100_000L, 110_000L));
    }

    @Test
    void aRoundsRatioIsItsColdMeanOverItsWarmMean() {
        ColdThroughputReport.Round r = round("this", 1, 2000, List.of(200.0, 600.0), List.of(800.0, 1200.0));
        assertEquals(400.0, r.coldMean(), 1e-9);
        assertEquals(1000.0, r.warmMean(), 1e-9);
        assertEquals(0.4, r.ratio(), 1e-9);
        assertEquals(0.0, round("this", 1, 0, List.of(5.0), List.of(0.0)).ratio(), "nothing warm: no ratio");
    }

    @Test
    void mediansTakeTheMiddleOrTheMeanOfTheTwoMiddles() {
        assertEquals(3.0, ColdThroughputReport.median(List.of(9.0, 1.0, 3.0)), 1e-9);
        assertEquals(2.5, ColdThroughputReport.median(List.of(4.0, 1.0, 3.0, 2.0)), 1e-9);
        assertEquals(0.0, ColdThroughputReport.median(List.of()), 1e-9);
    }

    @Test
    void eachBuildGetsTheMediansOfItsOwnRoundsAndOfEachSecond() {
        ColdThroughputReport report = new ColdThroughputReport(List.of(
                round("this", 1, 3000, List.of(100.0, 900.0), List.of(1000.0, 1000.0)),
                round("baseline", 1, 2500, List.of(50.0, 150.0), List.of(500.0, 500.0)),
                round("this", 2, 1000, List.of(300.0, 700.0), List.of(900.0, 1100.0)),
                round("this", 3, 2000, List.of(500.0, 800.0, 999.0), List.of(1000.0, 1000.0))));
        List<ColdThroughputReport.Summary> summaries = report.summaries();
        assertEquals(List.of("this", "baseline"), summaries.stream().map(ColdThroughputReport.Summary::build).toList());
        ColdThroughputReport.Summary mine = summaries.get(0);
        assertEquals(3, mine.rounds());
        assertEquals(500.0, mine.coldMean(), 1e-9, "cold means 500, 500 and 766: the middle one");
        assertEquals(1000.0, mine.warmMean(), 1e-9);
        assertEquals(0.5, mine.ratio(), 1e-9, "ratios 0.5, 0.5, 0.77");
        assertEquals(2000, mine.firstPingMillis());
        assertEquals(List.of(300.0, 800.0), mine.coldMbps(), "per second, as long as the shortest round");
        assertEquals(110_000L, mine.rssKb(), "the larger node's RSS");
        ColdThroughputReport.Summary base = summaries.get(1);
        assertEquals(0.2, base.ratio(), 1e-9);
        assertTrue(report.format().contains("ratio 0.50"), report.format());
    }
}
