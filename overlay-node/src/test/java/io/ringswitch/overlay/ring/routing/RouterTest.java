package io.ringswitch.overlay.ring.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Greedy routing, hop limits and hop acknowledgements, on a formed ring of the fake network. */
class RouterTest {
    private static final RingConfig CONFIG = RingConfig.defaults();

    private static FakeRingNetwork formed(int n, long seed) {
        return FakeRingNetwork.formed(n, seed, CONFIG);
    }

    @Test
    void exactRoutingDeliversAtTheDestinationAndNowhereElse() {
        FakeRingNetwork net = formed(40, 2);
        RingNode src = net.nodes.get(3);
        RingNode dst = net.nodes.get(29);
        src.send(dst.address(), RoutingMode.EXACT, PayloadTypes.PROBE, new byte[] {1}, true);
        net.run(5_000);
        FakeRingNetwork.Inbox inbox = net.inboxes.get(dst);
        assertEquals(List.of(src.address()), inbox.sources);
        assertTrue(inbox.hops.get(0) >= 1 && inbox.hops.get(0) <= 6, "hops " + inbox.hops);
        long elsewhere = net.nodes.stream().filter(n -> n != dst).mapToLong(n -> net.inboxes.get(n).sources.size()).sum();
        assertEquals(0, elsewhere);
    }

    @Test
    void exactRoutingToAnAbsentAddressIsDroppedAndCounted() {
        FakeRingNetwork net = formed(30, 3);
        long before = net.nodes.stream().mapToLong(n -> n.counters().noRoute()).sum();
        net.nodes.get(0).send(RingAddress.ofName("nobody"), RoutingMode.EXACT, PayloadTypes.PROBE, new byte[0], false);
        net.run(5_000);
        assertEquals(before + 1, net.nodes.stream().mapToLong(n -> n.counters().noRoute()).sum());
        assertEquals(0, net.nodes.stream().mapToLong(n -> net.inboxes.get(n).sources.size()).sum());
    }

    @Test
    void nearestRoutingDeliversAtTheClosestNode() {
        FakeRingNetwork net = formed(30, 4);
        RingAddress key = RingAddress.ofName("some key");
        RingNode closest = net.nodes.stream().min(Comparator.comparing(n -> n.address().distanceTo(key))).orElseThrow();
        net.nodes.get(7).send(key, RoutingMode.NEAREST, PayloadTypes.PROBE, new byte[0], true);
        net.run(5_000);
        assertEquals(1, net.inboxes.get(closest).sources.size());
    }

    @Test
    void theNextHopIsTheLinkNearestTheDestination() {
        FakeRingNetwork net = formed(30, 5);
        RingNode src = net.nodes.get(0);
        RingAddress dst = RingAddress.ofName("target");
        int before = net.sent.size();
        src.send(dst, RoutingMode.NEAREST, PayloadTypes.PROBE, new byte[0], false);
        FakeRingNetwork.Sent first = net.sent.get(before);
        Link best = src.links().stream().min(Comparator.comparing(l -> l.address().distanceTo(dst))).orElseThrow();
        assertEquals(best.path(), first.to());
        assertEquals(CONFIG.maxTtl() - 1, ((RingMessage.Routed) first.message()).ttl());
    }

    @Test
    void hopLimitAbuseIsDroppedAndCounted() {
        FakeRingNetwork net = formed(20, 8);
        RingNode victim = net.nodes.get(4);
        Link link = victim.links().get(0);
        net.transmit(link.path(), FakeRingNetwork.path(victim), new RingMessage.Routed(link.address(),
                victim.address(), RoutingMode.EXACT, 250, 0, false, 1, PayloadTypes.PROBE, new byte[0]));
        net.run(100);
        assertEquals(1, victim.counters().hopLimitAbuse());
        assertTrue(net.inboxes.get(victim).sources.isEmpty());
    }

    @Test
    void anExpiredTtlIsDroppedBeforeTheNextHop() {
        FakeRingNetwork net = formed(30, 9);
        RingNode relay = net.nodes.get(2);
        Link link = relay.links().get(0);
        RingAddress far = relay.address().plus(RingAddress.atFraction(0.5));
        long before = relay.counters().ttlExpired();
        net.transmit(link.path(), FakeRingNetwork.path(relay), new RingMessage.Routed(link.address(),
                far, RoutingMode.EXACT, 0, 5, false, 2, PayloadTypes.PROBE, new byte[0]));
        net.run(100);
        assertEquals(before + 1, relay.counters().ttlExpired());
    }

    @Test
    void aSuspectedHopIsUsedAgainAsSoonAsItSpeaks() {
        FakeRingNetwork net = formed(20, 15);
        RingNode src = net.nodes.get(0);
        Link link = src.links().get(0);
        RingNode peer = net.nodeAt(link.address());
        net.drop(peer, true);
        src.send(peer.address(), RoutingMode.EXACT, PayloadTypes.PROBE, new byte[0], true);
        net.run(500);
        assertTrue(src.counters().hopRetries() > 0, "the silent hop was suspected");
        net.drop(peer, false);
        // Within the suspicion time, but after the next keepalive between the two.
        net.run(2 * CONFIG.pingMillis() + 500);
        src.send(peer.address(), RoutingMode.EXACT, PayloadTypes.PROBE, new byte[] {2}, false);
        net.run(500);
        assertEquals(1, net.inboxes.get(peer).sources.size(), "delivered once the peer spoke again");
    }

    @Test
    void aPayloadTypeNobodyRegisteredForIsCountedNotDelivered() {
        FakeRingNetwork net = formed(10, 17);
        RingNode src = net.nodes.get(1);
        RingNode dst = net.nodes.get(6);
        src.send(dst.address(), RoutingMode.EXACT, 200, new byte[] {1}, true);
        net.run(2_000);
        assertEquals(1, dst.counters().unknownPayload());
        assertTrue(net.inboxes.get(dst).sources.isEmpty());
    }

    @Test
    void routedMessagesCarryNoPathOfTheirOwn() {
        // The router hands messages to links; a path is what a link has, never part of a message.
        FakeRingNetwork net = formed(10, 18);
        RingNode src = net.nodes.get(0);
        int before = net.sent.size();
        src.send(net.nodes.get(5).address(), RoutingMode.EXACT, PayloadTypes.PROBE, new byte[0], false);
        PeerPath to = net.sent.get(before).to();
        assertTrue(src.links().stream().anyMatch(l -> l.path().equals(to)));
    }
}
