package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NatTourTest {

    @Test
    void everyPairOfTheTourHasAnExpectedPathSite5Included() {
        LabSpec spec = NatTour.spec("nat");
        Map<String, String> expected = new TreeMap<>();
        for (int a = 1; a <= spec.sites(); a++) {
            for (int b = a + 1; b <= spec.sites(); b++) {
                expected.put(a + "-" + b, NatTour.expected(spec.edge(a), spec.edge(b)));
            }
        }
        assertEquals(15, expected.size());
        Map<String, String> plan = new TreeMap<>(Map.ofEntries(
                Map.entry("1-2", "udp"), Map.entry("1-3", "udp"), Map.entry("1-4", "udp"), Map.entry("1-5", "tcp"),
                Map.entry("1-6", "udp"), Map.entry("2-3", "udp"), Map.entry("2-4", "udp"), Map.entry("2-5", "tcp"),
                Map.entry("2-6", "udp"), Map.entry("3-4", "relay"), Map.entry("3-5", "relay"), Map.entry("3-6", "udp"),
                Map.entry("4-5", "relay"), Map.entry("4-6", "relay"), Map.entry("5-6", "relay")));
        assertEquals(plan, expected);
    }

    @Test
    void theExpectedPathIsTheSameFromEitherSide() {
        for (SiteEdge a : SiteEdge.values()) {
            for (SiteEdge b : SiteEdge.values()) {
                assertEquals(NatTour.expected(a, b), NatTour.expected(b, a), a + " / " + b);
            }
        }
    }
}
