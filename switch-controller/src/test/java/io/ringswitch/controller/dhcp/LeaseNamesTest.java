package io.ringswitch.controller.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.pipeline.FakeNames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;

class LeaseNamesTest {
    private static final int IP = IPv4Address.of("10.77.200.7").getInt();
    private final FakeNames directory = new FakeNames("lab.example");
    private final LeaseNames names = new LeaseNames(directory);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aLeasesNameIsPublishedRenamedAndWithdrawnWithTheLease() {
        names.named(IP, b("Laptop-1"));
        assertEquals(List.of(IPv4Address.of(IP).toInetAddress()), directory.names.get("laptop-1"));
        names.named(IP, b("Laptop-1"));
        assertEquals(1, directory.names.get("laptop-1").size(), "a renewal publishes nothing twice");
        names.named(IP, b("desk"));
        assertNull(directory.names.get("laptop-1"), "the old name goes");
        assertEquals(1, directory.names.get("desk").size());
        names.ended(IP);
        assertTrue(directory.names.isEmpty());
    }

    /** Attacker test: host names that are no single DNS label never reach the directory. */
    @Test
    void namesThatAreNoDnsLabelAreRefusedAndCounted() {
        List<String> bad = List.of("", "a.b", "a b", "x".repeat(64), "caf\u00e9", "evil\u0000", "a_b", "..", "name.lab.example");
        for (String name : bad) {
            names.named(IP, b(name));
        }
        assertTrue(directory.names.isEmpty());
        assertEquals(bad.size(), names.refused());
        assertEquals("a-0", LeaseNames.label(b("A-0")));
        assertEquals(63, LeaseNames.label(b("y".repeat(63))).length());
    }
}
