package io.ringswitch.overlay.secure;

import static io.ringswitch.overlay.secure.SecureNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.EventLoopScheduler;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.security.NodeIdentity;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two ring nodes on the secure layer, in real time, one behind a {@link LoopbackNat} that maps it
 * anew: the link between them follows the new mapping and is never taken for dead (the ring calls
 * a link dead after 9 s of silence), whichever end pings. Prints how long the link was cut. (The
 * NATted node is the one the other joins through, at its mapping: until the ring learns public
 * endpoints, issue 10's B1/B2, a joining node behind a NAT is answered at its private address.)
 */
class RoamingRingTest {

    @Test
    void theLinkSurvivesWhenTheNodeBehindTheNatPings() throws Exception {
        rebindingKeepsTheLink(true);
    }

    @Test
    void theLinkSurvivesWhenTheNodeBehindTheNatOnlyAnswers() throws Exception {
        rebindingKeepsTheLink(false);
    }

    /** The lower ring address pings; {@code nattedPings} picks identities so that the NATted node is that one. */
    private static void rebindingKeepsTheLink(boolean nattedPings) throws Exception {
        try (SecureNodes nodes = new SecureNodes()) {
            NodeIdentity aId = SecureNodes.identity(nodes.ca, "a", SecureNodes.NOW, Duration.ofDays(1));
            NodeIdentity bId = SecureNodes.identity(nodes.ca, "b", SecureNodes.NOW, Duration.ofDays(1));
            while ((aId.certificate().address().compareTo(bId.certificate().address()) < 0) != nattedPings) {
                bId = SecureNodes.identity(nodes.ca, "b", SecureNodes.NOW, Duration.ofDays(1));
            }
            try (SecureNodes.Node a = nodes.node(aId, SessionSettings.defaults(), Instant::now);
                 SecureNodes.Node b = nodes.node(bId, SessionSettings.defaults(), Instant::now);
                 LoopbackNat nat = new LoopbackNat(a)) {
                // a, behind the NAT, starts the ring; b joins through a's mapping (a NAT that keeps
                // one mapping per node and lets anyone reach it, like a forwarded port).
                RingNode ringA = ring(a, List.of());
                RingNode ringB = ring(b, List.of(nat.mapped()));
                assertTrue(await(() -> path(b, ringB) != null && path(a, ringA) != null, 20), "linked");
                assertEquals(new PeerPath.Udp(nat.mapped()), path(b, ringB), "b links a where a's NAT maps it");
                long downA = b.onLoop(() -> ringA.counters().linksDown());
                long downB = b.onLoop(() -> ringB.counters().linksDown());
                InetSocketAddress before = nat.mapped();

                nat.rebind();
                long rebound = System.nanoTime();
                PeerPath now = new PeerPath.Udp(nat.mapped());
                assertTrue(await(() -> now.equals(path(b, ringB)), 9), "b's link follows a to its new mapping");
                double followedMs = (System.nanoTime() - rebound) / 1e6;
                // Past the ring's 9 s: neither end took the link for dead.
                Thread.sleep(Math.max(0, 12_000 - (System.nanoTime() - rebound) / 1_000_000));
                assertEquals(now, path(b, ringB));
                assertEquals(b.path(), path(a, ringA));
                assertEquals(downA, a.onLoop(() -> ringA.counters().linksDown()), "a lost no link");
                assertEquals(downB, b.onLoop(() -> ringB.counters().linksDown()), "b lost no link");
                assertEquals(1, b.roamed());
                System.out.printf("NAT rebinding (%s pings): %s -> %s, the link followed after %.0f ms, no link down%n",
                        nattedPings ? "the NATted node" : "the open node", before, nat.mapped(), followedMs);
                a.onLoop(() -> {
                    ringA.stop(false);
                    return null;
                });
                b.onLoop(() -> {
                    ringB.stop(false);
                    return null;
                });
            }
        }
    }

    private static RingNode ring(SecureNodes.Node n, List<InetSocketAddress> bootstrap) throws Exception {
        RingNode ring = new RingNode(new Contact(n.identity.certificate().address(), n.endpoint()), RingConfig.defaults(),
                new EventLoopScheduler(n.channel.eventLoop()), n.transport, new Random(7));
        n.ring = ring;
        n.onLoop(() -> {
            ring.start(bootstrap);
            return null;
        });
        return ring;
    }

    /** The path of {@code n}'s only link, or null. */
    private static PeerPath path(SecureNodes.Node n, RingNode ring) throws Exception {
        return n.onLoop(() -> {
            List<Link> links = ring.links();
            return links.size() == 1 ? links.get(0).path() : null;
        });
    }
}
