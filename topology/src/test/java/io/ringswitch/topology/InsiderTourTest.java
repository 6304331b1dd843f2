package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class InsiderTourTest {

    @Test
    void theLabHasSixValidSitesAndNoShortcutsSoThatOppositeSitesAreTwoHopsApart() {
        LabSpec spec = InsiderTour.spec("secin");
        assertEquals(6, spec.sites());
        assertEquals(0, spec.shortcuts());
        for (int s = 1; s <= 6; s++) {
            assertTrue(spec.member(s));
        }
    }

    @Test
    void theInsiderSectionSaysWhatTheLabShowedAndWhatOnlyUnitTestsProve() throws Exception {
        Map<String, InsiderTour.Case> cases = new LinkedHashMap<>();
        cases.put("read-routed-frames", new InsiderTour.RoutedPayloads(true, List.of(), 2, 5, List.of(1, 3, 4, 6),
                SecurityTour.PATTERN, SecurityTour.MARKER, 5, 5, 48.0, 12, Map.of("site3", 12L), 14, 0, 3, true, List.of("unit test x")));
        cases.putAll(InsiderCases.provenElsewhere());
        SecurityTour.Report report = new SecurityTour.Report(true, Map.of(), null, null, List.of(), null)
                .withInsider(new InsiderTour.Report(true, "6 valid sites", cases), List.of());
        JsonNode insider = new ObjectMapper().readTree(report.toJson()).get("insider");
        assertTrue(insider.get("ok").asBoolean());
        JsonNode routed = insider.get("cases").get("read-routed-frames");
        assertEquals(0, routed.get("opened_by_intermediate").asLong());
        assertEquals(12, routed.get("forwarded_for_pair").asLong());
        assertTrue(routed.get("shown_in_lab").asBoolean());
        assertEquals("not opened", routed.get("result").asText());
        JsonNode lease = insider.get("cases").get("squat-lease");
        assertFalse(lease.get("shown_in_lab").asBoolean());
        assertEquals("refused", lease.get("result").asText());
        assertTrue(lease.get("proven_by").get(0).asText().startsWith("unit test overlay-node DhtInsiderTest#"));
    }

    @Test
    void aFailedLabCaseFailsTheReport() {
        InsiderTour.Report failed = new InsiderTour.Report(false, "6 valid sites", Map.of());
        SecurityTour.Report report = new SecurityTour.Report(true, Map.of(), null, null, List.of(), null)
                .withInsider(failed, List.of("read the logs"));
        assertFalse(report.ok());
        assertEquals(List.of("read the logs"), report.next());
    }

    /** The report names tests: each must exist in overlay-node, so that it never cites one that was renamed away. */
    @Test
    void everyUnitTestTheReportCitesExists() throws IOException {
        Path tests = Path.of("..", "overlay-node", "src", "test", "java");
        List<String> missing = new ArrayList<>();
        for (InsiderTour.Case c : InsiderCases.provenElsewhere().values()) {
            for (String cited : ((InsiderTour.ProvenElsewhere) c).provenBy()) {
                String[] classAndMethod = cited.substring("unit test overlay-node ".length()).split("#");
                try (Stream<Path> files = Files.walk(tests)) {
                    boolean found = files.filter(f -> f.getFileName().toString().equals(classAndMethod[0] + ".java"))
                            .anyMatch(f -> read(f).contains("void " + classAndMethod[1] + "("));
                    if (!found) {
                        missing.add(cited);
                    }
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void aPayloadRecordIsReadCountedAndSearched(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        String a = "aa".repeat(20);
        String b = "bb".repeat(20);
        String hex = java.util.HexFormat.of().formatHex(SecurityTour.PATTERN.repeat(4).getBytes());
        Path file = dir.resolve("payloads.rec");
        Files.writeString(file, "forwarded " + a + " " + b + " 7 00112233\n"
                + "forwarded " + b + " " + a + " 7 445566\n"
                + "forwarded " + a + " cc 4 77\n"
                + "frame " + a + " " + b + " - " + hex + "\n"
                + "delivered " + a + " " + b + " 4 0011");
        PayloadRecord record = PayloadRecord.read(file);
        assertEquals(2, record.count(PayloadRecord.FORWARDED, a, b), "either way");
        assertEquals(1, record.holding(SecurityTour.PATTERN, SecurityTour.REPEATS));
        assertEquals(1, record.holding(PayloadRecord.FRAME, SecurityTour.PATTERN, SecurityTour.REPEATS));
        assertEquals(0, record.holding(PayloadRecord.FORWARDED, SecurityTour.PATTERN, SecurityTour.REPEATS));
        assertEquals(5, record.entries().size());
        Files.writeString(file, "forwarded " + a + " " + b + " 7 0011223\n");
        assertEquals(0, PayloadRecord.read(file).entries().size(), "a line cut in the middle of a byte is left out");
        assertEquals(0, PayloadRecord.read(dir.resolve("none")).entries().size());
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
