package io.ringswitch.overlay.ring.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The open-addressing index answers every lookup as a {@code HashMap} with the same keys would,
 * through growth and through removals that shift runs back, for keys equal but not the same
 * instance as well as for the very instances stored.
 */
class LinkSlotsTest {

    private static Link linkTo(RingAddress address, PeerPath path) {
        return new Link(new Contact(address, new InetSocketAddress("10.0.0.1", 4000)), path, 0);
    }

    @Test
    void answersAsAHashMapThroughPutsAndRemoves() {
        Random random = new Random(21);
        LinkSlots<PeerPath> slots = new LinkSlots<>();
        Map<PeerPath, Link> expected = new HashMap<>();
        List<PeerPath> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // Nearby endpoints, as a simulator's are: their hashes differ by one.
            keys.add(new PeerPath.Udp(new InetSocketAddress("10.0." + (i >> 8) + "." + (i & 0xff), 4000)));
        }
        for (int step = 0; step < 20_000; step++) {
            PeerPath key = keys.get(random.nextInt(random.nextBoolean() ? 20 : keys.size()));
            PeerPath equalKey = new PeerPath.Udp(((PeerPath.Udp) key).endpoint());
            switch (random.nextInt(3)) {
                case 0 -> {
                    Link link = linkTo(RingAddress.random(random), key);
                    slots.put(key, link);
                    expected.put(key, link);
                }
                case 1 -> {
                    slots.remove(equalKey);
                    expected.remove(equalKey);
                }
                default -> assertSame(expected.get(equalKey), slots.get(random.nextBoolean() ? key : equalKey));
            }
            assertEquals(expected.size(), slots.size());
        }
        for (PeerPath key : keys) {
            assertSame(expected.get(key), slots.get(key));
        }
    }

    @Test
    void findsNothingForAMissingOrNullKey() {
        LinkSlots<RingAddress> slots = new LinkSlots<>();
        RingAddress a = RingAddress.random(new Random(1));
        slots.put(a, linkTo(a, new PeerPath.Routed(a)));
        assertNull(slots.get(RingAddress.random(new Random(2))));
        assertNull(slots.get(null));
        slots.remove(a);
        assertNull(slots.get(a));
        assertEquals(0, slots.size());
    }
}
