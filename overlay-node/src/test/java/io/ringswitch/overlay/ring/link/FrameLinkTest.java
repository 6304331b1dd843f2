package io.ringswitch.overlay.ring.link;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.VirtualClock;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * A link that a late hop acknowledgement made suspect keeps carrying frames while its peer is
 * heard from; only silence takes frames off it (they would otherwise wait for a session made over
 * the ring, and what does not fit its queue is lost).
 */
class FrameLinkTest {
    private static final long PING = RingConfig.defaults().pingMillis();
    private final VirtualClock clock = new VirtualClock();
    private final LinkTable table = new LinkTable(new Contact(RingAddress.ofName("site1"),
            new InetSocketAddress("10.0.0.1", 4000)), RingConfig.defaults(), clock, (path, message) -> { },
            new RingCounters());
    private final InetSocketAddress endpoint = new InetSocketAddress("10.0.0.4", 4000);
    private final Link link = table.add(new Contact(RingAddress.ofName("site4"), endpoint), new PeerPath.Udp(endpoint), true);

    @Test
    void aLateHopAckLeavesFramesOnALinkHeardFromRecently() {
        clock.runUntil(clock.nowMillis() + PING / 2);
        link.suspectUntil(clock.nowMillis() + RingConfig.defaults().deadAfterMillis());
        assertTrue(link.suspect(clock.nowMillis()), "the ring's routing avoids it");
        assertTrue(link.carriesFrames(clock.nowMillis(), PING), "frames stay on it");
    }

    @Test
    void aSuspectLinkSilentForAKeepaliveIntervalCarriesNoFrames() {
        clock.runUntil(clock.nowMillis() + PING);
        link.suspectUntil(clock.nowMillis() + RingConfig.defaults().deadAfterMillis());
        assertFalse(link.carriesFrames(clock.nowMillis(), PING));
        table.heard(link);
        assertTrue(link.carriesFrames(clock.nowMillis(), PING), "heard again: no longer suspect");
    }
}
