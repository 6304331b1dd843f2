package io.ringswitch.overlay.ring.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.node.RingNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nothing reaches the ring's parts but over a link, from the link's own peer. */
class MessageDispatcherTest {

    @Test
    void neighbourClaimsFromUnlinkedNodesAreIgnoredAndCounted() {
        FakeRingNetwork net = FakeRingNetwork.formed(20, 10, RingConfig.defaults());
        RingNode victim = net.nodes.get(6);
        PeerPath stranger = new PeerPath.Udp(FakeRingNetwork.endpoint(999));
        RingAddress liar = victim.address().plus(RingAddress.atFraction(1e-9));
        int before = net.sent.size();
        long strangersBefore = victim.counters().fromStranger();
        net.transmit(stranger, FakeRingNetwork.path(victim), new RingMessage.Status(liar, Claim.NEAR,
                List.of(new Contact(liar, FakeRingNetwork.endpoint(999)))));
        net.transmit(stranger, FakeRingNetwork.path(victim), new RingMessage.Close(liar, List.of()));
        net.transmit(stranger, FakeRingNetwork.path(victim), new RingMessage.Ping(liar, 1, Claim.NEAR));
        net.run(10);
        assertEquals(strangersBefore + 3, victim.counters().fromStranger());
        assertFalse(net.sent.subList(before, net.sent.size()).stream().anyMatch(s -> s.to().equals(stranger)),
                "no answer and no link request to the stranger");
        assertFalse(victim.rightNeighbours(2).stream().anyMatch(c -> c.address().equals(liar)));
    }

    @Test
    void aMessageFromALinkedPathUnderAnotherAddressIsAlsoIgnored() {
        FakeRingNetwork net = FakeRingNetwork.formed(20, 11, RingConfig.defaults());
        RingNode victim = net.nodes.get(3);
        Link link = victim.links().get(0);
        long before = victim.counters().fromStranger();
        net.transmit(link.path(), FakeRingNetwork.path(victim),
                new RingMessage.Status(RingAddress.ofName("impostor"), Claim.NEAR, List.of()));
        net.run(10);
        assertEquals(before + 1, victim.counters().fromStranger());
    }

    @Test
    void aLinkMessageClaimingToComeFromTheNodeItselfIsDropped() {
        FakeRingNetwork net = FakeRingNetwork.formed(10, 20, RingConfig.defaults());
        RingNode victim = net.nodes.get(2);
        Link link = victim.links().get(0);
        long before = victim.counters().fromStranger();
        net.transmit(link.path(), FakeRingNetwork.path(victim), new RingMessage.Close(victim.address(), List.of()));
        net.run(10);
        assertEquals(before + 1, victim.counters().fromStranger());
        assertEquals(link, victim.links().get(0), "the link is still there");
    }
}
