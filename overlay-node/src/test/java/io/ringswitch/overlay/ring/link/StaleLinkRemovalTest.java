package io.ringswitch.overlay.ring.link;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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
 * Removing a link that is no longer the table's (removed before, or replaced since by a newer link
 * to the same peer or over the same path) leaves the newer link where it is: found by address, by
 * path, and routable. Before, the address's entry went whoever held it, and a stale link took the
 * path of the link that had replaced it.
 */
class StaleLinkRemovalTest {
    private final LinkTable table = new LinkTable(new Contact(RingAddress.ofName("me"), udp(1)),
            RingConfig.defaults(), new VirtualClock(), (path, message) -> { }, new RingCounters());

    private static InetSocketAddress udp(int host) {
        return new InetSocketAddress("10.0.0." + host, 4000);
    }

    @Test
    void aLinkRemovedTwiceDoesNotTakeItsPeersNewerLinkWithIt() {
        RingAddress peer = RingAddress.ofName("peer");
        Link old = table.add(new Contact(peer, udp(2)), new PeerPath.Udp(udp(2)), true);
        table.remove(old, "timed out");
        Link newer = table.add(new Contact(peer, udp(3)), new PeerPath.Udp(udp(3)), true);

        table.remove(old, "timed out again");

        assertSame(newer, table.get(peer));
        assertSame(newer, table.at(new PeerPath.Udp(udp(3))));
        assertNull(table.at(new PeerPath.Udp(udp(2))));
        assertTrue(table.view().contains(newer));
    }

    @Test
    void aStaleLinkDoesNotTakeThePathThatAnotherPeerNowUses() {
        Link restarted = table.add(new Contact(RingAddress.ofName("before restart"), udp(2)), new PeerPath.Udp(udp(2)), true);
        Link fresh = table.add(new Contact(RingAddress.ofName("after restart"), udp(2)), new PeerPath.Udp(udp(2)), true);

        table.remove(restarted, "replaced");

        assertSame(fresh, table.at(new PeerPath.Udp(udp(2))));
        assertSame(fresh, table.get(RingAddress.ofName("after restart")));
        assertFalse(table.contains(RingAddress.ofName("before restart")));
    }
}
