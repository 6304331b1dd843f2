package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.topology.InsiderTour;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.SecurityTour;
import io.ringswitch.topology.Shell;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The security demo as a test (issue #8): three sites with valid certificates and three whose
 * certificate is from another CA, expired, or names a ring address that is not its key's. Each bad
 * node stays out of the ring and its host reaches nobody, and the valid nodes count the refusal
 * for the right reason; no ping pattern or iperf3 payload crosses the underlay in the clear while
 * a control capture on the sending host finds both; the valid hosts all reach each other. The
 * tour runs once; each test asserts one of its cases.
 */
class SecurityScenarioTest {
    private static final LabSpec SPEC = SecurityTour.spec("sece2e");
    private static final String INSIDER_LAB = "secins";
    private static SecurityTour.Report report;

    @BeforeAll
    static void tour() throws Exception {
        Lab.down(SPEC.name(), SecurityScenarioTest::log);
        Lab lab = Lab.up(SPEC, Preflight.home(), SecurityScenarioTest::log);
        try {
            report = SecurityTour.run(lab, SecurityScenarioTest::log);
        } finally {
            lab.down();
        }
        // The insider lab once the first is down (one lab at a time); it removes itself.
        Lab.down(INSIDER_LAB, SecurityScenarioTest::log);
        report = InsiderTour.addTo(report, INSIDER_LAB, Preflight.home(), false, SecurityScenarioTest::log);
        log(report.toJson());
    }

    @AfterAll
    static void down() throws Exception {
        Lab.down(SPEC.name(), SecurityScenarioTest::log);
        Lab.down(INSIDER_LAB, SecurityScenarioTest::log);
        String left = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
        assertTrue(!left.contains(SPEC.prefix() + "-"), "namespaces left behind: " + left);
        assertTrue(!left.contains(InsiderTour.spec(INSIDER_LAB).prefix() + "-"), "namespaces left behind: " + left);
        assertTrue(!Path.of("/run/ringswitch", SPEC.name()).toFile().exists(), "run directory left behind");
        assertTrue(!Path.of("/run/ringswitch", INSIDER_LAB).toFile().exists(), "insider run directory left behind");
    }

    /**
     * The node of another CA checks certificates too, against its own CA: it refuses the valid
     * nodes' certificates as they refuse its own. Initiating a Noise XX handshake, it sees the
     * responder's certificate first and stops there, so the refusal may be counted on its side only.
     */
    @Test
    void aNodeWithACertificateFromAnotherCaNeverLinks() {
        assertRefused("other-ca", "certificate-other-ca");
    }

    @Test
    void aNodeWithAnExpiredCertificateNeverLinks() {
        assertRefused("expired", "certificate-expired");
    }

    @Test
    void aNodeWhoseCertificateNamesAnotherRingAddressNeverLinks() {
        assertRefused("address-mismatch", "certificate-address-not-key");
    }

    @Test
    void noPayloadCrossesTheUnderlayInTheClear() {
        SecurityTour.Capture capture = (SecurityTour.Capture) report.cases().get("capture");
        assertNotNull(capture);
        assertTrue(capture.pingsReceived() > 0 && capture.iperfMbps() > 0, "traffic crossed: " + capture);
        assertTrue(capture.underlay().packets() > 0, "the underlay capture saw it: " + capture.underlay());
        assertEquals(0, capture.underlay().patternPackets(), "ping pattern on the underlay: " + capture);
        assertEquals(0, capture.underlay().markerPackets(), "iperf3 payload on the underlay: " + capture);
        assertTrue(capture.control().patternPackets() > 0 && capture.control().markerPackets() > 0,
                "the control capture on the sending host finds both, so the search works: " + capture.control());
        assertTrue(capture.ok(), capture.problems().toString());
    }

    @Test
    void theValidHostsAllReachEachOther() {
        SecurityTour.AllPairs pairs = (SecurityTour.AllPairs) report.cases().get("all-pairs");
        assertEquals(6, pairs.pairs());
        assertEquals(pairs.sent(), pairs.received(), pairs.problems().toString());
        assertTrue(pairs.ok(), pairs.problems().toString());
    }

    /**
     * Issue 18: two sites opposite on a ring of six without shortcuts have no link, so that their
     * first frames are routed through the others, whose nodes record every payload they forward or
     * take in and every frame they open. The pattern of the pair's pings is in none of those
     * records, while the intermediates did forward the pair's routed messages and the pair itself
     * opened frames with the pattern that came over the ring (the control: the frames did take
     * the route, and the search finds the pattern where it can be read).
     */
    @Test
    void aNodeOnTheRouteOpensNoneOfTheFramesItCarriesForTwoOtherSites() {
        InsiderTour.RoutedPayloads routed = (InsiderTour.RoutedPayloads) report.insider().cases().get("read-routed-frames");
        assertNotNull(routed);
        assertTrue(routed.pingsReceived() > 0, "the pair's pings came back: " + routed);
        assertTrue(routed.forwardedForPair() > 0, "the intermediates forwarded the pair's routed messages: "
                + routed.forwardedBySite());
        assertTrue(routed.relayedDelta() > 0, "and their ring counter 'relayed' moved");
        assertTrue(routed.routedFramesWithPattern() > 0, "frames with the pattern came over the ring to the pair");
        assertEquals(0, routed.openedByIntermediate(), "payloads the intermediates opened: " + routed.problems());
        assertTrue(routed.ok(), routed.problems().toString());
    }

    @Test
    void theWholeTourPasses() {
        assertTrue(report.ok(), "next: " + report.next());
    }

    private static void assertRefused(String name, String reason) {
        SecurityTour.Refused r = (SecurityTour.Refused) report.cases().get(name);
        assertNotNull(r, name + " was not run");
        assertEquals(reason, r.expectedReason());
        assertTrue(r.up(), "the bad node of site " + r.site() + " runs and keeps trying");
        assertTrue(r.linkedBy().isEmpty(), "valid nodes linked to site " + r.site() + ": " + r.linkedBy());
        assertEquals(0, r.ownLinks(), "links of site " + r.site());
        assertEquals(0, r.pingsReceived(), "pings from site " + r.site() + "'s host answered");
        if (SPEC.credential(r.site()).unverified()) {
            assertTrue(r.refused() > 0, "the valid nodes' refusals for " + reason + ": " + r.refusedBySite()
                    + " (all reasons: " + r.reasonsCounted() + ")");
        } else {
            assertTrue(r.refused() > 0 || r.refusedByItself() > 0, "refusals for " + reason + " by the valid nodes "
                    + r.refusedBySite() + " or by the node itself " + r.refusedByItself());
        }
        NodeStatus.Refusal example = r.example();
        assertNotNull(example, "a last refusal for " + reason);
        assertEquals(reason, example.reason());
        assertTrue(r.ok(), r.problems().toString());
    }

    private static void log(String line) {
        System.err.println("[sece2e] " + line);
    }
}
