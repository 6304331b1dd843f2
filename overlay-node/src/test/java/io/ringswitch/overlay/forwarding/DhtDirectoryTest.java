package io.ringswitch.overlay.forwarding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.node.RingNode;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.projectfloodlight.openflow.types.MacAddress;
import org.junit.jupiter.api.Test;

/** The directory on a fake ring: hosts found by IP and by MAC, and a host that moved found at its new site. */
class DhtDirectoryTest {
    private static final byte[] MAC = {2, 0x77, 0, 0, 1, 1};
    private static final long MAC_LONG = 0x02_77_00_00_01_01L;
    private static final InetAddress IP = DhtDirectory.ipv4(0x0a4d0101);

    private static <T> T await(FakeRingNetwork net, CompletableFuture<T> future) {
        for (int i = 0; i < 600 && !future.isDone(); i++) {
            net.run(100);
        }
        assertTrue(future.isDone(), "no answer within a minute");
        return future.getNow(null);
    }

    @Test
    void aHostIsFoundByItsAddressAndItsMacAndAfterMovingAtItsNewSite() throws Exception {
        FakeRingNetwork net = FakeRingNetwork.formed(20, 77, RingConfig.defaults());
        // The new site's value sorts after the old one's, so taking the first value would be wrong.
        RingNode x = net.nodes.get(2);
        RingNode y = net.nodes.get(9);
        RingNode a = x.address().compareTo(y.address()) < 0 ? x : y;
        RingNode b = a == x ? y : x;
        RingNode asker = net.nodes.get(15);
        long[] wall = {1_000_000};
        DhtDirectory atA = new DhtDirectory(a.dht(), a.address(), () -> wall[0]);
        DhtDirectory atB = new DhtDirectory(b.dht(), b.address(), () -> wall[0]);
        DhtDirectory lookups = new DhtDirectory(asker.dht(), asker.address(), () -> wall[0]);

        atA.publish(IP, MAC_LONG);
        net.run(2_000);
        SiteDirectory.Located found = await(net, lookups.lookup(IP));
        assertEquals(a.address().shortString(), found.site());
        assertEquals(MacAddress.of(MAC_LONG), found.mac());
        assertFalse(found.local());
        assertEquals(a.address(), await(net, lookups.site(MAC_LONG)));
        assertTrue(await(net, atA.lookup(IP)).local(), "a site's own host is marked local");

        // The host moves to site B; A has not noticed yet and keeps publishing its older value.
        wall[0] += 5_000;
        atB.publish(IP, MAC_LONG);
        net.run(2_000);
        assertEquals(b.address().shortString(), await(net, lookups.lookup(IP)).site(), "the newest publication wins");
        assertEquals(b.address(), await(net, lookups.site(MAC_LONG)));
        RingAddress unknown = await(net, lookups.site(0x02_00_00_00_00_99L));
        assertEquals(null, unknown);
        // The forwarder never sends to its own site a frame for its own host (it would loop back).
        assertEquals(null, await(net, atB.site(MAC_LONG)));
        assertEquals(b.address(), await(net, atA.site(MAC_LONG)), "the old site finds the host at its new one");
    }

    @Test
    void ipv6HostsAndWithdrawalsAndThePoolsViewOfStaticAddresses() throws Exception {
        FakeRingNetwork net = FakeRingNetwork.formed(12, 78, RingConfig.defaults());
        RingNode site = net.nodes.get(3);
        RingNode asker = net.nodes.get(8);
        DhtDirectory here = new DhtDirectory(site.dht(), site.address(), () -> 5_000);
        DhtDirectory there = new DhtDirectory(asker.dht(), asker.address(), () -> 5_000);
        InetAddress v6 = InetAddress.getByName("fd00:77::1:1");
        here.publish(v6, MAC_LONG);
        here.publish(IP, MAC_LONG);
        net.run(2_000);
        assertEquals(MacAddress.of(MAC_LONG), await(net, there.lookup(v6)).mac());
        assertArrayEquals(MAC, await(net, there.macOf(0x0a4d0101)), "the pool sees who announced a static address");
        here.withdraw(v6);
        here.withdraw(IP);
        net.run(2_000);
        assertNull(await(net, there.lookup(v6)), "a withdrawn host is gone at once (a tombstone), not when its value runs out");
        assertNull(await(net, there.lookup(IP)));
        assertNull(await(net, there.lookup(MAC_LONG)), "and its MAC with its last address");
        assertNull(await(net, there.site(MAC_LONG)));
        DhtDirectory elsewhere = new DhtDirectory(asker.dht(), asker.address(), () -> 6_000);
        elsewhere.publish(IP, MAC_LONG);
        net.run(2_000);
        assertEquals(asker.address().shortString(), await(net, here.lookup(IP)).site(), "the host binds at its new site");
    }
}
