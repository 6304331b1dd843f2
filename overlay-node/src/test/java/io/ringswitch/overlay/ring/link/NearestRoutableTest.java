package io.ringswitch.overlay.ring.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.VirtualClock;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The binary search of the clockwise order picks the link a walk over every link would pick: the
 * nearest to the destination either way round, not suspect, not the excluded one.
 */
class NearestRoutableTest {

    private static Link walk(LinkTable table, RingAddress dst, RingAddress exclude, long now) {
        Link best = null;
        for (Link link : table.view()) {
            if (!link.routable() || link.suspect(now) || link.address().equals(exclude)) {
                continue;
            }
            if (best == null || link.address().distanceTo(dst).compareTo(best.address().distanceTo(dst)) < 0) {
                best = link;
            }
        }
        return best;
    }

    @Test
    void picksTheSameLinkAsAWalkOverEveryLink() {
        Random random = new Random(21);
        VirtualClock clock = new VirtualClock();
        for (int round = 0; round < 200; round++) {
            LinkTable table = new LinkTable(new Contact(RingAddress.random(random), new InetSocketAddress("10.0.0.1", 4000)),
                    RingConfig.defaults(), clock, (path, message) -> { }, new RingCounters());
            List<Link> links = new ArrayList<>();
            int n = 1 + random.nextInt(30);
            for (int i = 0; i < n; i++) {
                InetSocketAddress endpoint = new InetSocketAddress("10.0.1." + (i + 1), 4000);
                links.add(table.add(new Contact(RingAddress.random(random), endpoint), new PeerPath.Udp(endpoint),
                        random.nextInt(5) > 0));
            }
            for (Link link : links) {
                if (random.nextInt(4) == 0) {
                    link.suspectUntil(clock.nowMillis() + 1000);
                }
            }
            for (int q = 0; q < 50; q++) {
                RingAddress dst = q % 5 == 0 ? links.get(random.nextInt(n)).address() : RingAddress.random(random);
                RingAddress exclude = q % 3 == 0 ? links.get(random.nextInt(n)).address() : null;
                assertEquals(walk(table, dst, exclude, clock.nowMillis()), table.nearestRoutable(dst, exclude, clock.nowMillis()));
            }
        }
    }

    @Test
    void noUsableLinkIsNoLink() {
        VirtualClock clock = new VirtualClock();
        LinkTable table = new LinkTable(new Contact(RingAddress.ofName("me"), new InetSocketAddress("10.0.0.1", 4000)),
                RingConfig.defaults(), clock, (path, message) -> { }, new RingCounters());
        assertNull(table.nearestRoutable(RingAddress.ofName("x"), null, 0));
        InetSocketAddress endpoint = new InetSocketAddress("10.0.0.2", 4000);
        Link only = table.add(new Contact(RingAddress.ofName("peer"), endpoint), new PeerPath.Udp(endpoint), true);
        assertEquals(only, table.nearestRoutable(RingAddress.ofName("x"), null, 0));
        assertNull(table.nearestRoutable(RingAddress.ofName("x"), only.address(), 0));
        only.suspectUntil(10);
        assertNull(table.nearestRoutable(RingAddress.ofName("x"), null, 5));
    }
}
