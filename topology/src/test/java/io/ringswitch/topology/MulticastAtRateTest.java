package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which hosts join the 20 Mbit/s run (members at three sites wherever the lab allows it), and
 * what counts as lost: datagrams that never reached the member host.
 */
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

    @Test
    void datagramsTheHostDroppedAtItsOwnSocketReachedIt() {
        // 17,836 sent; the program received 17,300; its kernel dropped 536 at the full buffer.
        MulticastRun.Member m = new MulticastRun.Member(3, 1, 17_836, 17_300, 3.01, 536, 35_672);
        assertEquals(17_836, m.deliveredToHost());
        assertEquals(0.0, m.switchLossPercent());
        assertFalse(m.lossPercent() < MulticastAtRate.MAX_LOSS_PERCENT, "the program's own figure stays as measured");
    }

    @Test
    void datagramsLostBeforeTheHostCountAgainstTheSwitch() {
        // 200 of 17,836 never arrived (1.12 %), 33 more were dropped at the host's socket.
        MulticastRun.Member m = new MulticastRun.Member(6, 1, 17_836, 17_603, 1.31, 33, 35_272);
        assertEquals(17_636, m.deliveredToHost());
        assertTrue(m.switchLossPercent() > MulticastAtRate.MAX_LOSS_PERCENT);
        assertEquals(1.12, Math.round(m.switchLossPercent() * 100) / 100.0);
    }

    @Test
    void socketDropsBeyondWhatWasSentDoNotHideLoss() {
        // Other datagrams dropped in the host's namespace cannot make more than was sent arrive.
        MulticastRun.Member m = new MulticastRun.Member(8, 1, 1_000, 990, 1.0, 50, 2_000);
        assertEquals(1_000, m.deliveredToHost());
    }
}
