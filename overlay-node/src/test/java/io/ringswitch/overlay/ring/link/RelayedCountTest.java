package io.ringswitch.overlay.ring.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.VirtualClock;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The table counts its relayed links (the relays' round walks the links only when there is one)
 * through every way a link's path changes: added over a relay, moved to a direct path and back,
 * removed, and removed again.
 */
class RelayedCountTest {
    private final LinkTable table = new LinkTable(new Contact(RingAddress.ofName("me"), udp(1)),
            RingConfig.defaults(), new VirtualClock(), (path, message) -> { }, new RingCounters());

    private static InetSocketAddress udp(int host) {
        return new InetSocketAddress("10.0.0." + host, 4000);
    }

    @Test
    void countsRelayedLinksAsTheirPathsChange() {
        RingAddress peer = RingAddress.ofName("peer");
        PeerPath.Relay relay = new PeerPath.Relay(RingAddress.ofName("relay"), peer);
        table.add(new Contact(RingAddress.ofName("direct"), udp(2)), new PeerPath.Udp(udp(2)), true);
        assertEquals(0, table.relayedCount());

        Link relayed = table.add(new Contact(peer, udp(3)), relay, true);
        assertEquals(1, table.relayedCount());
        table.add(new Contact(peer, udp(3)), relay, true);
        assertEquals(1, table.relayedCount(), "the same link added again counts once");

        table.repath(relayed, new PeerPath.Udp(udp(3)));
        assertEquals(0, table.relayedCount(), "moved to a direct path");
        table.repath(relayed, new PeerPath.Relay(RingAddress.ofName("other relay"), peer));
        assertEquals(1, table.relayedCount(), "back over a relay");

        table.remove(relayed, "gone");
        assertEquals(0, table.relayedCount());
        table.remove(relayed, "gone again");
        assertEquals(0, table.relayedCount(), "a link removed twice is uncounted once");
    }
}
