package io.ringswitch.overlay.ring.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.node.RingNode;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Claims decide which links a node keeps: near neighbours, shortcuts, and nothing else. */
class MaintenanceTest {
    private static final RingConfig CONFIG = RingConfig.defaults();

    @Test
    void theNearestOnEachSideAreClaimedNearAndEveryLinkIsClaimedBySomebody() {
        FakeRingNetwork net = FakeRingNetwork.formed(40, 31, CONFIG);
        net.run(10_000);
        for (RingNode node : net.nodes) {
            List<Link> cw = node.links();
            int k = node.nearPerSide();
            for (int i = 0; i < cw.size(); i++) {
                Link link = cw.get(i);
                boolean near = i < k || i >= cw.size() - k;
                assertEquals(near, link.claimedBy(Claim.NEAR), node.address().shortString() + " link " + i);
                assertTrue(!link.claims().isEmpty() || link.peerClaim() != null,
                        "a link nobody claims at " + node.address().shortString());
            }
        }
    }

    @Test
    void everyNodeHoldsItsShortcutsAndTheirPeersKnowIt() {
        FakeRingNetwork net = FakeRingNetwork.formed(60, 32, CONFIG);
        net.run(20_000);
        int held = 0;
        for (RingNode node : net.nodes) {
            for (Link link : node.links()) {
                if (link.claimedBy(Claim.SHORTCUT)) {
                    held++;
                    RingNode peer = net.nodeAt(link.address());
                    Link back = peer.links().stream().filter(l -> l.address().equals(node.address())).findFirst().orElseThrow();
                    assertTrue(back.peerClaim() == Claim.SHORTCUT || back.peerClaim() == Claim.NEAR,
                            "the peer of a shortcut knows it is claimed");
                }
            }
        }
        assertTrue(held >= net.nodes.size() * CONFIG.shortcuts() / 2, held + " shortcuts held");
    }

    @Test
    void withoutShortcutsOnlyNearLinksRemainAndDisplacedOnesAreTrimmed() {
        RingConfig config = CONFIG.withShortcuts(0);
        FakeRingNetwork net = FakeRingNetwork.formed(30, 33, config);
        long trimmedBefore = net.nodes.stream().mapToLong(n -> n.counters().linksTrimmed()).sum();
        // Nodes joining right next to a node push its farthest near neighbours out of its view.
        RingNode host = net.nodes.get(7);
        double gap = host.address().clockwiseTo(host.rightNeighbours(1).get(0).address()).fraction();
        for (int i = 1; i <= 3; i++) {
            RingAddress at = host.address().plus(RingAddress.atFraction(gap * i / 4));
            net.add(new Contact(at, FakeRingNetwork.endpoint(100 + i)), config).start(List.of(host.self().endpoint()));
        }
        net.run(30_000);
        assertEquals(1.0, net.crawl().consistency(), () -> "off: " + net.crawl().inconsistent());
        for (RingNode node : net.nodes) {
            for (Link link : node.links()) {
                assertTrue(link.claimedBy(Claim.NEAR) || link.peerClaim() == Claim.NEAR,
                        "a link no side claims near at " + node.address().shortString() + ": " + link.address().shortString()
                        + link.claims() + "/" + link.peerClaim());
            }
            assertTrue(node.linkCount() <= 2 * CONFIG.maxNearPerSide(), node.address().shortString() + " has "
                    + node.linkCount() + " links: " + node.links().stream().map(l -> l.address().shortString()
                    + l.claims() + "/" + l.peerClaim()).toList());
        }
        assertTrue(net.nodes.stream().mapToLong(n -> n.counters().linksTrimmed()).sum() > trimmedBefore,
                "the links the newcomers displaced were trimmed");
    }

    @Test
    void aSettledRingMakesAndTrimsNoLinks() {
        for (long seed : new long[] {33, 35, 36}) {
            FakeRingNetwork net = FakeRingNetwork.formed(33, seed, CONFIG);
            net.run(30_000);
            long up = net.nodes.stream().mapToLong(n -> n.counters().linksUp()).sum();
            net.run(60_000);
            assertEquals(up, net.nodes.stream().mapToLong(n -> n.counters().linksUp()).sum(),
                    "links made in a minute of a settled ring (seed " + seed + ")");
        }
    }

    @Test
    void linksSetUpWhileTheRingFormsAreFew() {
        FakeRingNetwork net = FakeRingNetwork.formed(60, 34, CONFIG);
        double perNode = net.nodes.stream().mapToLong(n -> n.counters().linksUp()).sum() / 60.0;
        assertTrue(perNode < 40, perNode + " links set up per node");
    }

    @Test
    void shortcutLengthsFollowTheHarmonicDistribution() {
        double n = 10_000;
        int samples = 100_000;
        int belowSqrt = 0;
        int belowTenth = 0;
        Random random = new Random(12);
        for (int i = 0; i < samples; i++) {
            double x = Shortcuts.harmonicFraction(n, random.nextDouble());
            assertTrue(x >= 1 / n && x <= 1, "x=" + x);
            belowSqrt += x < 1 / Math.sqrt(n) ? 1 : 0;
            belowTenth += x < 0.1 ? 1 : 0;
        }
        // P(x < a) = 1 + ln(a)/ln(n): one half below 1/sqrt(n), three quarters below 1/10 for n = 10^4.
        assertEquals(0.5, belowSqrt / (double) samples, 0.01);
        assertEquals(0.75, belowTenth / (double) samples, 0.01);
    }

    @Test
    void aBusyPairGetsAnOnDemandLinkThatTakesOneHopAndLetsItGoWhenTheTrafficStops() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 35, CONFIG.withShortcuts(0));
        net.run(10_000);
        RingNode a = net.nodes.get(0);
        RingNode b = net.nodes.stream().filter(n -> n != a && linkBetween(a, n) == null).skip(5).findFirst().orElseThrow();
        int before = probeHops(net, a, b);
        assertTrue(before >= 2, "no link yet: " + before + " hops");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 40; i++) {
                a.frameTo(b.address());
            }
            net.run(2_000);
        }
        Link link = linkBetween(a, b);
        assertTrue(link != null && link.claimedBy(Claim.TRAFFIC), "an on-demand link: " + link);
        assertEquals(1, a.counters().onDemandRequested(), "asked once");
        int after = probeHops(net, a, b);
        assertTrue(after < before, "hops before " + before + ", after " + after);
        net.run(OnDemandLinks.IDLE_MILLIS + 10_000);
        assertNull(linkBetween(a, b), "let go and trimmed once the traffic stopped");
    }

    @Test
    void aLowRatePairGetsALinkOfItsOwnAfterAFewFrames() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 35, CONFIG.withShortcuts(0));
        net.run(10_000);
        RingNode a = net.nodes.get(0);
        RingNode b = net.nodes.stream().filter(n -> n != a && linkBetween(a, n) == null).skip(5).findFirst().orElseThrow();
        assertTrue(probeHops(net, a, b) >= 2, "no link yet");
        // One frame a second, as a ping sends: never many in one status round.
        for (int second = 0; second < 8; second++) {
            a.frameTo(b.address());
            net.run(1_000);
        }
        Link link = linkBetween(a, b);
        assertTrue(link != null && link.claimedBy(Claim.TRAFFIC), "a link of the pair's own: " + link);
        assertEquals(1, a.counters().onDemandRequested(), "asked once");
        assertEquals(1, probeHops(net, a, b));
    }

    private static Link linkBetween(RingNode a, RingNode b) {
        return a.links().stream().filter(l -> l.address().equals(b.address())).findFirst().orElse(null);
    }

    /** Hops a probe from {@code a} takes to {@code b}. */
    private static int probeHops(FakeRingNetwork net, RingNode a, RingNode b) {
        FakeRingNetwork.Inbox inbox = net.inboxes.get(b);
        int seen = inbox.hops.size();
        a.send(b.address(), io.ringswitch.overlay.ring.message.RoutingMode.EXACT,
                io.ringswitch.overlay.ring.message.PayloadTypes.PROBE, new byte[8], false);
        net.run(1_000);
        assertEquals(seen + 1, inbox.hops.size(), "the probe arrived");
        return inbox.hops.get(seen);
    }
}
