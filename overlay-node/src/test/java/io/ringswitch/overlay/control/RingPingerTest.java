package io.ringswitch.overlay.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.echo.EchoCodec;
import io.ringswitch.overlay.ring.echo.RingEcho;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * {@code ringswitch ping}'s echo on a formed ring of the fake network (5 ms a hop each way): a
 * linked site answers over its link in one hop each way, a site without a link over the ring with
 * the hops counted; targets by address, host IP and name; forged and malformed echoes refused.
 */
class RingPingerTest {
    private final FakeRingNetwork net = FakeRingNetwork.formed(30, 11, RingConfig.defaults());
    private final Map<RingNode, RingEcho> echoes = new HashMap<>();

    RingPingerTest() {
        for (RingNode node : net.nodes) {
            echoes.put(node, new RingEcho(node, net.clock, new Random(1), () -> net.now() * 1_000_000));
        }
    }

    private RingPinger pinger(RingNode node, Map<InetAddress, RingAddress> hosts, Map<String, RingAddress> names) {
        return new RingPinger(node, echoes.get(node), Runnable::run,
                ip -> CompletableFuture.completedFuture(hosts.get(ip)), names::get);
    }

    private PingReport run(CompletableFuture<PingReport> ping) throws Exception {
        net.run(10_000);
        assertTrue(ping.isDone(), "the ping ended");
        return ping.get();
    }

    @Test
    void aLinkedSiteAnswersOverItsLinkInOneHopEachWayAndTheLinkCountsIt() throws Exception {
        RingNode src = net.nodes.get(0);
        Link link = src.links().get(0);
        RingNode dst = net.nodeAt(link.address());
        long outBefore = link.recordsOut();
        long inBefore = dst.link(src.address()).recordsIn();

        PingReport report = run(pinger(src, Map.of(), Map.of()).ping(dst.address().toString(), 3));

        assertEquals(3, report.replies().size());
        for (PingReport.Reply r : report.replies()) {
            assertEquals("direct", r.way(), r.toString());
            assertEquals(link.path().toString(), r.path());
            assertEquals(1, r.hopsThere());
            assertEquals(1, r.hopsBack());
            assertEquals(10.0, r.rttMillis(), 0.001, "two 5 ms hops");
            assertNull(r.error());
        }
        assertTrue(link.recordsOut() >= outBefore + 3, "the link counted the requests it sent");
        assertTrue(link.bytesOut() > 0 && link.bytesIn() > 0);
        assertTrue(dst.link(src.address()).recordsIn() >= inBefore + 3, "the peer's link counted them in");
    }

    @Test
    void aSiteWithoutALinkIsReachedOverTheRingWithItsHops() throws Exception {
        RingNode src = net.nodes.get(0);
        RingNode dst = net.nodes.stream().filter(n -> n != src && src.link(n.address()) == null).findFirst().orElseThrow();

        PingReport report = run(pinger(src, Map.of(), Map.of()).ping(dst.address().toString(), 1));

        PingReport.Reply r = report.replies().get(0);
        assertEquals("ring", r.way(), r.toString());
        assertNull(r.path());
        assertTrue(r.hopsThere() >= 2, "more than one hop: " + r);
        assertTrue(r.hopsBack() >= 2, "more than one hop back: " + r);
        assertEquals(5.0 * (r.hopsThere() + r.hopsBack()), r.rttMillis(), 0.001, "5 ms a hop");
    }

    @Test
    void aHostIpAndASiteNameResolveToTheirSite() throws Exception {
        RingNode src = net.nodes.get(0);
        RingNode dst = net.nodes.get(17);
        RingPinger pinger = pinger(src, Map.of(InetAddress.getByName("10.77.1.5"), dst.address()),
                Map.of("site17", dst.address()));

        assertEquals(dst.address().toString(), run(pinger.ping("10.77.1.5", 1)).address());
        PingReport byName = run(pinger.ping("site17", 1));
        assertEquals(dst.address().toString(), byName.address());
        assertNull(byName.replies().get(0).error());
    }

    @Test
    void aTargetNoSiteAnswersToIsRefusedInWords() {
        RingPinger pinger = pinger(net.nodes.get(0), Map.of(), Map.of());
        for (String target : new String[] {"nosuchsite", "10.99.0.1"}) {
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> run(pinger.ping(target, 1)));
            assertInstanceOf(IllegalArgumentException.class, e.getCause(), target);
        }
    }

    @Test
    void aSiteThatDoesNotAnswerTimesOutWithAReason() throws Exception {
        RingNode src = net.nodes.get(0);
        RingNode dst = net.nodes.get(9);
        net.lose = s -> s.message() instanceof RingMessage.Routed m && m.payloadType() == PayloadTypes.ECHO
                && m.from().equals(dst.address());

        PingReport.Reply r = run(pinger(src, Map.of(), Map.of()).ping(dst.address().toString(), 1)).replies().get(0);

        assertEquals(-1, r.rttMillis());
        assertTrue(r.error().contains("no answer"), r.error());
        assertEquals(1, echoes.get(src).timedOut());
    }

    /**
     * Another member that saw the request on its way answers in the target's stead with the right
     * nonce: the answer is refused (it is not from the node asked) and counted, and the ping ends
     * with the target's own answer.
     */
    @Test
    void anAnswerFromAnotherNodeThanTheTargetIsRefused() throws Exception {
        RingNode src = net.nodes.get(0);
        RingNode dst = net.nodes.stream().filter(n -> n != src && src.link(n.address()) == null).findFirst().orElseThrow();
        RingNode forger = net.nodeAt(src.links().get(0).address());
        int before = net.sent.size();
        CompletableFuture<RingEcho.Result> answer = echoes.get(src).echo(dst.address(), 2_000);
        RingMessage.Routed request = (RingMessage.Routed) net.sent.get(before).message();
        long nonce = EchoCodec.decode(request.payload()).orElseThrow().nonce();

        forger.send(src.address(), RoutingMode.EXACT, PayloadTypes.ECHO, EchoCodec.encode(new EchoCodec.Echo(true, nonce, 1)), false);
        net.run(7); // one 5 ms hop: the target's answer takes four at least
        assertEquals(1, echoes.get(src).unexpected());
        assertFalse(answer.isDone(), "the forged answer did not end the echo");

        net.run(5_000);
        assertTrue(answer.get().hopsThere() >= 2, "the target's own answer, over the ring: " + answer.get());
    }

    @Test
    void anEchoPayloadThatIsNoEchoIsDroppedAndCounted() {
        RingNode src = net.nodes.get(0);
        RingNode dst = net.nodes.get(5);
        src.send(dst.address(), RoutingMode.EXACT, PayloadTypes.ECHO, new byte[] {7, 1, 2}, false);
        src.send(dst.address(), RoutingMode.EXACT, PayloadTypes.ECHO, new byte[EchoCodec.LENGTH + 1], false);
        net.run(5_000);
        assertEquals(2, echoes.get(dst).malformed());
        assertEquals(0, echoes.get(dst).answered());
    }
}
