package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SwitchCountersTest {

    @Test
    void aCounterTheStatusDoesNotCarryHasNoDelta() {
        assertNull(SwitchCounters.delta(SwitchCounters.SPOOF_DROPPED, Map.of(), Map.of()));
        assertNull(SwitchCounters.delta(SwitchCounters.SPOOF_DROPPED, Map.of(SwitchCounters.SPOOF_DROPPED, 3L), Map.of()));
    }

    @Test
    void aCounterThatAppearedCountsFromZero() {
        assertEquals(7L, SwitchCounters.delta(SwitchCounters.STORM_DROPPED, Map.of(), Map.of(SwitchCounters.STORM_DROPPED, 7L)));
        assertEquals(4L, SwitchCounters.delta(SwitchCounters.STORM_DROPPED, Map.of(SwitchCounters.STORM_DROPPED, 3L),
                Map.of(SwitchCounters.STORM_DROPPED, 7L)));
    }
}
