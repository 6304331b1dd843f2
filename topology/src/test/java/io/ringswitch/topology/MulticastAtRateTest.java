package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which hosts join the 20 Mbit/s run: members at three sites wherever the lab allows it. */
class MulticastAtRateTest {
    private static MulticastRun.Host h(int site, int host) {
        return new MulticastRun.Host(site, host);
    }

    @Test
    void threeSitesOfThreeHostsUseTheSendersNeighbourAsTheThirdMemberSite() {
        assertEquals(List.of(h(1, 2), h(2, 1), h(3, 1)), MulticastAtRate.members(LabSpec.of("t", 3, 3)));
    }

    @Test
    void eightSitesSpreadThreeRemoteMembersOverTheRing() {
        assertEquals(List.of(h(3, 1), h(6, 1), h(8, 1)), MulticastAtRate.members(LabSpec.of("t", 8, 3)));
    }

    @Test
    void aSmallLabTakesWhatItHas() {
        assertEquals(List.of(h(2, 1)), MulticastAtRate.members(LabSpec.of("t", 2, 1)));
        assertEquals(List.of(h(3, 1), h(4, 1), h(6, 1)), MulticastAtRate.members(LabSpec.of("t", 6, 1)));
    }
}
