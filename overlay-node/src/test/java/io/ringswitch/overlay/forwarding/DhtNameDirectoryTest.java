package io.ringswitch.overlay.forwarding;

import static io.ringswitch.overlay.forwarding.RingMulticastTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingConfig;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Host names in the DHT of a small ring on virtual time. */
class DhtNameDirectoryTest {
    private final FakeRingNetwork net = FakeRingNetwork.formed(12, 41, RingConfig.defaults());

    private DhtNameDirectory site(int i) {
        return new DhtNameDirectory(net.nodes.get(i).dht(), net.nodes.get(i).address(), "lab");
    }

    private List<InetAddress> lookup(DhtNameDirectory d, String name) {
        CompletableFuture<List<InetAddress>> f = d.lookup(name);
        for (int i = 0; i < 600 && !f.isDone(); i++) {
            net.run(100);
        }
        return f.getNow(null);
    }

    @Test
    void aPublishedNameIsFoundElsewhereKeptWhileItStaysAndGoneAfterItsWithdrawal() {
        DhtNameDirectory a = site(2);
        DhtNameDirectory b = site(9);
        assertEquals(List.of(), lookup(b, "printer"));
        a.publish("printer", ip("10.77.200.4"));
        net.run(2_000);
        assertEquals(List.of(ip("10.77.200.4")), lookup(b, "printer"));
        net.run(3 * DhtNameDirectory.TTL_MILLIS);
        assertEquals(List.of(ip("10.77.200.4")), lookup(b, "printer"), "refreshed while published");
        a.withdraw("printer", ip("10.77.200.4"));
        net.run(DhtNameDirectory.TTL_MILLIS + 1_000);
        assertEquals(List.of(), lookup(b, "printer"));
        assertEquals(List.of(), lookup(b, "Not A Label"), "no lookup for what is no DNS label");
    }
}
