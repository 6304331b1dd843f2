package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The private demo's lab is the one of {@code labs/private.yaml}, and its report tells an unexpected reply. */
class PrivateTourTest {
    @Test
    void theSpecIsTheLabFilesUnderAnotherName() throws Exception {
        assertEquals(LabSpec.load(Path.of("labs/private.yaml")), PrivateTour.spec("priv"));
        assertEquals(List.of("10.99.0.1:" + Lab.NODE_PORT, "10.99.0.2:" + Lab.NODE_PORT),
                PrivateTour.publicEndpoints(PrivateTour.spec("x")));
    }

    @Test
    void aReplyAcrossGroupsOrALostOneWithinIsNotAsExpected() {
        assertTrue(new PrivateTour.Cell(3, "alpha", 4, "alpha", true, new Ping(3, 3, 0.5)).asExpected());
        assertFalse(new PrivateTour.Cell(3, "alpha", 4, "alpha", true, new Ping(3, 2, 0.5)).asExpected());
        assertTrue(new PrivateTour.Cell(3, "alpha", 5, "beta", false, new Ping(3, 0, Double.NaN)).asExpected());
        assertFalse(new PrivateTour.Cell(3, "alpha", 5, "beta", false, new Ping(3, 1, 0.5)).asExpected());
        PrivateTour.Report r = new PrivateTour.Report(List.of(), List.of(
                new PrivateTour.Cell(3, "alpha", 5, "beta", false, new Ping(3, 1, 0.5))), List.of("site 3 -> site 5"));
        assertFalse(r.ok());
        assertTrue(r.lines().stream().anyMatch(l -> l.contains("1/3!")), r.lines().toString());
    }

    @Test
    void theJsonNamesEachLinksSite() throws Exception {
        PrivateTour.Report r = new PrivateTour.Report(List.of(new PrivateTour.Member("alpha", 3, "aa", List.of(
                new PrivateTour.Link("bb", 4)), List.of("bb"), List.of("10.99.0.4:5800"))), List.of(), List.of());
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(r.toJson());
        assertTrue(json.contains("\"links\":[{\"address\":\"bb\",\"site\":4}]"), json);
        assertTrue(json.contains("\"ok\":true"), json);
    }
}
