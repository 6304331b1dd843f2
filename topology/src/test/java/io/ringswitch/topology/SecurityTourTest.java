package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.overlay.api.NodeStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityTourTest {

    @Test
    void theLabHasThreeValidSitesAndOneOfEachBadCredential() {
        LabSpec spec = SecurityTour.spec("sec");
        assertEquals(6, spec.sites());
        assertTrue(spec.encrypted());
        assertEquals(List.of(true, true, true, false, false, false), List.of(spec.member(1), spec.member(2), spec.member(3),
                spec.member(4), spec.member(5), spec.member(6)));
        assertEquals(List.of(SiteCredential.OTHER_CA, SiteCredential.EXPIRED, SiteCredential.ADDRESS_MISMATCH),
                List.of(spec.credential(4), spec.credential(5), spec.credential(6)));
    }

    @Test
    void theReportIsOneJsonObjectWithACasePerName() throws Exception {
        Map<String, SecurityTour.Case> cases = new LinkedHashMap<>();
        cases.put("expired", new SecurityTour.Refused(true, List.of(), 5, "expired", "ab".repeat(20), "cd".repeat(20),
                "certificate-expired", "valid nodes", 7, Map.of("site1", 7L), 0, Map.of("certificate-expired", 7L),
                new NodeStatus.Refusal("10.99.0.5:5800", "ab".repeat(20), "certificate-expired", "expired on ...", 1L),
                List.of(), 0, true, 6, 0));
        cases.put("capture", new SecurityTour.Capture(false, List.of("the ping pattern crossed the underlay in the clear"),
                "10.77.1.1", "10.77.2.1", SecurityTour.PATTERN, SecurityTour.MARKER, 5, 5, 99.5,
                new SecurityTour.Scan("rs-sec-wan", "s1", 2000, 40_000_000, 10, 1400, 0),
                new SecurityTour.Scan("rs-sec-s1h1", "eth0", 900, 40_000_000, 10, 900, 0)));
        cases.put("all-pairs", new SecurityTour.AllPairs(true, List.of(), 6, 18, 18, 0.5));
        JsonNode json = new ObjectMapper().readTree(new SecurityTour.Report(false, cases, null, null, List.of("merge it"), "/tmp/x").toJson());
        assertFalse(json.get("ok").asBoolean());
        assertEquals(List.of("expired", "capture", "all-pairs"), names(json.get("cases").fieldNames()));
        JsonNode expired = json.get("cases").get("expired");
        assertTrue(expired.get("ok").asBoolean());
        assertEquals(7, expired.get("refused").asLong());
        assertEquals("certificate-expired", expired.get("example").get("reason").asText());
        assertEquals(7, expired.get("refused_by_site").get("site1").asLong());
        assertEquals("valid nodes", expired.get("refused_by").asText());
        assertEquals(0, expired.get("refused_by_itself").asLong());
        JsonNode capture = json.get("cases").get("capture");
        assertEquals(10, capture.get("underlay").get("pattern_packets").asLong());
        assertEquals("eth0", capture.get("control").get("device").asText());
        assertFalse(capture.has("evidence"), "the table's line is not part of the JSON");
        assertEquals(0.5, json.get("cases").get("all-pairs").get("rtt_ms_avg").asDouble());
    }

    @Test
    void aRefusalsEndpointIsMatchedWithOrWithoutJavasSlash() {
        assertTrue(RefusalCase.fromSite("/10.99.0.5:5800", "10.99.0.5:"));
        assertTrue(RefusalCase.fromSite("10.99.0.5:5800", "10.99.0.5:"));
        assertFalse(RefusalCase.fromSite("/10.99.0.50:5800", "10.99.0.5:"));
    }

    private static List<String> names(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
