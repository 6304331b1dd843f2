package io.ringswitch.overlay.ring.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.VirtualClock;
import java.net.InetSocketAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LinkTable#wouldBeNear}, which compares positions clockwise from the node without making
 * distances, answers as the distances do: nearer clockwise than the k-th link on the right, or
 * nearer counter-clockwise than the k-th on the left; the links themselves, the node itself and
 * addresses between included.
 */
class WouldBeNearTest {

    /** The answer by distances, as the table computed it before. */
    private static boolean byDistances(LinkTable table, RingAddress address) {
        Link[] cw = table.clockwise();
        int k = table.nearPerSide();
        if (cw.length < 2 * k) {
            return true;
        }
        RingAddress me = table.me();
        return me.clockwiseTo(address).compareTo(me.clockwiseTo(cw[k - 1].address())) < 0
                || address.clockwiseTo(me).compareTo(cw[cw.length - k].address().clockwiseTo(me)) < 0;
    }

    @Test
    void answersAsTheDistancesDo() {
        Random random = new Random(5);
        VirtualClock clock = new VirtualClock();
        for (int round = 0; round < 200; round++) {
            LinkTable table = new LinkTable(new Contact(RingAddress.random(random), new InetSocketAddress("10.0.0.1", 4000)),
                    RingConfig.defaults(), clock, (path, message) -> { }, new RingCounters());
            int n = random.nextInt(20);
            for (int i = 0; i < n; i++) {
                InetSocketAddress endpoint = new InetSocketAddress("10.0.1." + (i + 1), 4000);
                table.add(new Contact(RingAddress.random(random), endpoint), new PeerPath.Udp(endpoint), true);
            }
            Link[] cw = table.clockwise();
            for (int q = 0; q < 100; q++) {
                RingAddress address = switch (q % 4) {
                    case 0 -> cw.length == 0 ? table.me() : cw[random.nextInt(cw.length)].address();
                    case 1 -> table.me();
                    default -> RingAddress.random(random);
                };
                assertEquals(byDistances(table, address), table.wouldBeNear(address), "round " + round + ", query " + q);
            }
        }
    }
}
