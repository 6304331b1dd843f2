package io.ringswitch.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Lifetimes as people type them: {@code 90s}, {@code 4d}, or ISO-8601; anything else says what it takes. */
class DurationConverterTest {
    @Test
    void unitsAndIsoDurationsAreRead() {
        assertEquals(Duration.ofSeconds(90), DurationConverter.parse("90s"));
        assertEquals(Duration.ofMinutes(15), DurationConverter.parse("15m"));
        assertEquals(Duration.ofHours(36), DurationConverter.parse("36h"));
        assertEquals(Duration.ofDays(4), DurationConverter.parse("4d"));
        assertEquals(Duration.ofSeconds(90), DurationConverter.parse("PT90S"));
    }

    @Test
    void anythingElseIsRefusedWithAnExample() {
        String m = assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse("4 days")).getMessage();
        assertTrue(m.contains("90s"), m);
        assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse("-5s"));
    }
}
