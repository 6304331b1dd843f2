package io.ringswitch.overlay.ring.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.ConnectCodec;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** No reflection: forged CONNECTs cannot turn a ring node into a traffic source against a third party. */
class ProbeLimiterTest {

    /** A linked node forges {@code times} CONNECTs, one every 100 ms, each naming {@code victim} as the requester's endpoints. */
    private static long probesTo(List<InetSocketAddress> victim, int times, long seed) {
        FakeRingNetwork net = FakeRingNetwork.formed(20, seed, RingConfig.defaults());
        net.run(30_000);
        long limitedBefore = net.nodes.get(5).probesLimited();
        RingNode answerer = net.nodes.get(5);
        PeerPath attacker = answerer.links().get(0).path();
        Set<PeerPath> targets = victim.stream().map(PeerPath.Udp::new).collect(Collectors.toSet());
        int before = net.sent.size();
        for (int i = 0; i < times; i++) {
            RingAddress liar = RingAddress.ofName("liar" + i);
            byte[] connect = ConnectCodec.encodeConnect(new ConnectCodec.Connect(Claim.TRAFFIC, i, liar, null, victim));
            net.transmit(attacker, FakeRingNetwork.path(answerer),
                    new RingMessage.Routed(liar, answerer.address(), RoutingMode.EXACT, 60, 1, false, i, PayloadTypes.CONNECT,
                            connect));
            net.run(100);
        }
        long probes = net.sent.subList(before, net.sent.size()).stream().filter(s -> targets.contains(s.to())).count();
        assertEquals(times * victim.size() - probes, answerer.probesLimited() - limitedBefore,
                "every probe held back is counted");
        return probes;
    }

    @Test
    void aHundredForgedConnectsNamingOneHostSendItAtMostOneProbePerFiveSeconds() {
        List<InetSocketAddress> victim = List.of(new InetSocketAddress("192.0.2.50", 22), new InetSocketAddress("192.0.2.50", 53),
                new InetSocketAddress("192.0.2.50", 123), new InetSocketAddress("192.0.2.50", 5800));
        long probes = probesTo(victim, 100, 61);
        // 10 s of forgeries: at 0, 5 and 10 s at most (each probe costs at most 5 handshake INITs on real sockets).
        assertTrue(probes >= 1 && probes <= 3, probes + " probes to the victim");
    }

    @Test
    void fourVictimsGetNoMoreThanTheBucketAllows() {
        List<InetSocketAddress> victims = List.of(new InetSocketAddress("192.0.2.50", 5800),
                new InetSocketAddress("192.0.2.51", 5800), new InetSocketAddress("198.51.100.7", 5800),
                new InetSocketAddress("203.0.113.9", 5800));
        long probes = probesTo(victims, 100, 62);
        assertTrue(probes <= 4 * 3, probes + " probes to four hosts in 10 s");
    }

    /**
     * The member first names the victim among its neighbours in a status (it vouches for it), then
     * forges CONNECTs naming it: a peer's word is no handshake, and the limiter still holds.
     */
    @Test
    void aVictimAMemberVouchedForGetsNoMoreProbesThanTheLimiterAllows() {
        FakeRingNetwork net = FakeRingNetwork.formed(20, 63, RingConfig.defaults());
        RingNode answerer = net.nodes.get(5);
        RingNode member = net.nodeAt(answerer.links().get(0).address());
        InetSocketAddress victim = new InetSocketAddress("192.0.2.50", 5800);
        int before = net.sent.size();
        for (int i = 0; i < 100; i++) {
            net.transmit(FakeRingNetwork.path(member), FakeRingNetwork.path(answerer), new RingMessage.Status(member.address(),
                    Claim.NEAR, List.of(new io.ringswitch.overlay.ring.Contact(RingAddress.ofName("v" + i), victim))));
            RingAddress liar = RingAddress.ofName("liar" + i);
            byte[] connect = ConnectCodec.encodeConnect(new ConnectCodec.Connect(Claim.TRAFFIC, i, liar, null, List.of(victim)));
            net.transmit(FakeRingNetwork.path(member), FakeRingNetwork.path(answerer),
                    new RingMessage.Routed(liar, answerer.address(), RoutingMode.EXACT, 60, 1, false, i, PayloadTypes.CONNECT,
                            connect));
            net.run(100);
        }
        long probes = net.sent.subList(before, net.sent.size()).stream()
                .filter(s -> s.to().equals(new PeerPath.Udp(victim))).count();
        assertTrue(probes >= 1 && probes <= 3, probes + " probes to the victim in 10 s");
    }

    @Test
    void noProbeEverGoesToLoopbackMulticastUnspecifiedOrBroadcast() {
        FakeRingNetwork net = FakeRingNetwork.formed(20, 64, RingConfig.defaults());
        RingNode answerer = net.nodes.get(5);
        List<InetSocketAddress> forbidden = List.of(new InetSocketAddress("127.0.0.1", 22),
                new InetSocketAddress("224.0.0.251", 5353), new InetSocketAddress("0.0.0.0", 5800),
                new InetSocketAddress("255.255.255.255", 5800), new InetSocketAddress("::1", 5800),
                new InetSocketAddress("ff02::1", 5800), new InetSocketAddress("192.0.2.9", 0));
        ProbeLimiter limiter = answerer.probeLimiter();
        for (InetSocketAddress e : forbidden) {
            assertFalse(limiter.allow(e), e + " is never probed");
        }
        assertTrue(limiter.allow(new InetSocketAddress("192.0.2.9", 5800)), "an ordinary address still is");
    }
}
