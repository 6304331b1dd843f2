package io.ringswitch.overlay.forwarding;

import static io.ringswitch.overlay.forwarding.RingMulticastTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.node.RingNode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Multicast membership in the DHT of a small ring on virtual time. */
class DhtMulticastDirectoryTest {
    private static final InetAddress GROUP = ip("239.1.2.3");

    private final FakeRingNetwork net = FakeRingNetwork.formed(16, 96, RingConfig.defaults());
    private final List<DhtMulticastDirectory> sites = new ArrayList<>();

    {
        for (RingNode node : net.nodes) {
            sites.add(new DhtMulticastDirectory(node.dht(), node.address()));
        }
    }

    private MulticastDirectory.Members lookup(int from, InetAddress group) {
        CompletableFuture<MulticastDirectory.Members> f = sites.get(from).lookup(group);
        for (int i = 0; i < 600 && !f.isDone(); i++) {
            net.run(100);
        }
        return f.getNow(null);
    }

    @Test
    void theSitesWithMembersAreListedAndASiteThatLeftExpires() {
        assertEquals(new MulticastDirectory.Members(List.of(), false), lookup(0, GROUP), "nobody yet");
        sites.get(3).join(GROUP);
        sites.get(7).join(GROUP);
        sites.get(7).join(GROUP);
        net.run(2_000);
        MulticastDirectory.Members m = lookup(0, GROUP);
        assertFalse(m.all());
        assertEquals(List.of(net.nodes.get(3).address(), net.nodes.get(7).address()).stream().sorted().toList(),
                m.sites().stream().sorted().toList());
        net.run(3 * DhtMulticastDirectory.TTL_MILLIS);
        assertEquals(2, lookup(0, GROUP).sites().size(), "kept while the members stay");
        sites.get(3).leave(GROUP);
        net.run(DhtMulticastDirectory.TTL_MILLIS + 1_000);
        assertEquals(List.of(net.nodes.get(7).address()), lookup(0, GROUP).sites(), "site 3 expired after its time to live");
    }

    @Test
    void aFullKeyMeansEverySite() {
        for (int i = 1; i <= 9; i++) {
            sites.get(i).join(GROUP);
        }
        net.run(2_000);
        assertTrue(lookup(0, GROUP).all(), "9 sites where a key holds 8");
        InetAddress v6 = ip("ff15::1");
        sites.get(2).join(v6);
        net.run(2_000);
        assertEquals(List.<RingAddress>of(net.nodes.get(2).address()), lookup(5, v6).sites());
        assertEquals("mcast6:ff15::1", DhtMulticastDirectory.key(v6).toString());
    }
}
