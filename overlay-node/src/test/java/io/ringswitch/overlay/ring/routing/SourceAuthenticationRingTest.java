package io.ringswitch.overlay.ring.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.SourceSignatures;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Routed messages and broadcasts on a ring of members that sign them ({@link SourceSignatures}):
 * honest traffic flows as before, and a member m holding a valid certificate that sends in
 * another member's name is stopped: a routed message where it ends, a broadcast at the first
 * honest hop. A control ring without source authentication (what every ring was before) lets
 * the same forgeries through, so the checks are what stops them.
 */
class SourceAuthenticationRingTest {
    private static final int NODES = 12;
    private static final byte[] SECRET = "store ip4:10.0.0.9 -> victim".getBytes(StandardCharsets.US_ASCII);

    private record Members(FakeRingNetwork net, Map<RingNode, SourceSignatures> signers,
                           Map<RingNode, NodeIdentity> identities) {
        RingNode node(int i) {
            return net.nodes.get(i);
        }
    }

    private static Members ring(boolean signed) throws Exception {
        Instant now = Instant.now();
        GroupCa ca = GroupCa.create("lab", now.minusSeconds(3600), Duration.ofDays(30));
        FakeRingNetwork net = new FakeRingNetwork(18);
        Map<RingNode, SourceSignatures> signers = new HashMap<>();
        Map<RingNode, NodeIdentity> identities = new HashMap<>();
        RingConfig config = RingConfig.defaults();
        RingNode first = null;
        for (int i = 0; i < NODES; i++) {
            KeyPair key = GroupCa.newKeyPair();
            NodeIdentity id = new NodeIdentity(key.getPrivate(), NodeCertificate.readUnverified(
                    ca.issue("n" + i, key.getPublic(), Optional.empty(), now.minusSeconds(60), Duration.ofDays(1))),
                    ca.certificate());
            RingNode node = net.add(new Contact(id.certificate().address(), FakeRingNetwork.endpoint(i + 1)), config);
            SourceSignatures signer = new SourceSignatures(id, Instant::now);
            signers.put(node, signer);
            identities.put(node, id);
            if (signed) {
                node.authenticate(signer);
            }
            if (first == null) {
                first = node;
                node.start(List.of());
            } else {
                RingNode joining = node;
                RingNode bootstrap = first;
                net.clock.schedule(i * 50L, () -> joining.start(List.of(bootstrap.self().endpoint())));
            }
        }
        net.run(NODES * 50L + 60_000);
        return new Members(net, signers, identities);
    }

    private static long forged(FakeRingNetwork net) {
        return net.nodes.stream().mapToLong(n -> n.counters().forgedSource()).sum();
    }

    @Test
    void honestRoutedMessagesAndBroadcastsFlowSigned() throws Exception {
        Members ring = ring(true);
        FakeRingNetwork net = ring.net();
        RingNode from = ring.node(2);
        for (RingNode to : net.nodes) {
            if (to != from) {
                from.send(to.address(), RoutingMode.EXACT, PayloadTypes.PROBE, SECRET, false);
            }
        }
        from.broadcast(PayloadTypes.PROBE, SECRET);
        net.run(5_000);
        for (RingNode node : net.nodes) {
            FakeRingNetwork.Inbox inbox = net.inboxes.get(node);
            assertEquals(node == from ? List.of() : List.of(from.address()), inbox.sources, node.address().shortString());
            assertEquals(node == from ? 0 : 1, inbox.broadcasts, node.address().shortString());
        }
        assertEquals(0, forged(net), "nothing honest refused");
    }

    @Test
    void aMemberThatRoutesInAnotherMembersNameIsStoppedWhereTheMessageEnds() throws Exception {
        Members ring = ring(true);
        List<String> through = forgeRouted(ring);
        assertTrue(through.isEmpty(), "forgeries delivered: " + through);
        assertEquals(3, forged(ring.net()), "each forgery dropped and counted once, at its destination");

        // The same for a DHT store, a CONNECT and a gateway probe in the victim's name, signed by m:
        // no payload type but the end-to-end sealed one goes unchecked.
        RingNode m = ring.node(5);
        RingNode victim = ring.node(9);
        Link link = m.links().get(0);
        for (int type : new int[] {PayloadTypes.DHT, PayloadTypes.CONNECT, PayloadTypes.GATEWAY_PROBE}) {
            byte[] payload = ring.signers().get(m).signRouted(victim.address(), link.address(), type, SECRET);
            ring.net().transmit(FakeRingNetwork.path(m), link.path(), new RingMessage.Routed(victim.address(),
                    link.address(), RoutingMode.EXACT, 16, 0, false, 100 + type, type, payload));
        }
        ring.net().run(2_000);
        assertEquals(6, forged(ring.net()), "a DHT store, a CONNECT and a gateway probe refused where they ended");
    }

    @Test
    void aMemberThatForgesABroadcastOriginIsStoppedAtTheFirstHop() throws Exception {
        Members ring = ring(true);
        int reached = forgeBroadcast(ring);
        assertEquals(0, reached, "no node took the forged broadcast");
        assertEquals(1, forged(ring.net()), "the first hop dropped it and passed nothing on");
    }

    @Test
    void aRangeWidenedPastItsOriginByANodeOnTheWayIsCaughtAtTheNextHop() throws Exception {
        Members ring = ring(true);
        FakeRingNetwork net = ring.net();
        RingNode m = ring.node(5);
        // m's nearest link clockwise: every range m hands on may reach round to m itself.
        Link next = nearestClockwise(m);
        RingNode origin = net.nodes.stream().filter(n -> n != m && !n.address().equals(next.address())).findFirst()
                .orElseThrow();
        // A real broadcast of the origin's, which m, on its way, hands on with a range that reaches past the origin:
        // the origin's signature holds, only the range was widened.
        byte[] signed = ring.signers().get(origin).signBroadcast(origin.address(), 4242, PayloadTypes.PROBE, SECRET);
        int before = net.inboxes.values().stream().mapToInt(i -> i.broadcasts).sum();
        net.transmit(FakeRingNetwork.path(m), next.path(), new RingMessage.Broadcast(origin.address(), 4242, m.address(),
                16, PayloadTypes.PROBE, signed));
        net.run(2_000);
        RingNode hop = net.nodeAt(next.address());
        assertEquals(0, net.inboxes.values().stream().mapToInt(i -> i.broadcasts).sum() - before,
                "no node took the widened broadcast");
        assertEquals(1, hop.counters().broadcastBeyondOrigin(), "the next hop caught it");
        assertEquals(0, hop.counters().broadcastRangeRefused(), "a range m may hand on, as far as m goes");

        // The same broadcast with the range the origin's ring allows (up to the origin) passes on as before.
        net.transmit(FakeRingNetwork.path(m), next.path(), new RingMessage.Broadcast(origin.address(), 4242,
                origin.address(), 16, PayloadTypes.PROBE, signed));
        net.run(2_000);
        assertEquals(1, net.inboxes.get(hop).broadcasts, "the next hop took the broadcast within its origin's range");
    }

    @Test
    void aSourceSendsItsCertificateOnceAndAgainWhenADestinationAsksForIt() throws Exception {
        Members ring = ring(true);
        FakeRingNetwork net = ring.net();
        for (RingNode node : net.nodes) {
            ring.signers().get(node).introduceOnce(node, net::now);
        }
        RingNode a = ring.node(2);
        RingNode b = ring.node(8);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (i == 1) {
                // b restarts its checks: it no longer knows a's certificate.
                SourceSignatures fresh = new SourceSignatures(ring.identities().get(b), Instant::now);
                fresh.introduceOnce((source, dst) -> b.send(source, RoutingMode.EXACT, PayloadTypes.NEED_CERTIFICATE,
                        dst.toBytes(), false), net::now);
                b.authenticate(fresh);
                ring.signers().put(b, fresh);
            }
            a.send(b.address(), RoutingMode.EXACT, PayloadTypes.PROBE, SECRET, false);
            net.run(2_000);
            sizes.add(net.sent.stream().map(FakeRingNetwork.Sent::message)
                    .filter(m -> m instanceof RingMessage.Routed r && r.from().equals(a.address())
                            && r.payloadType() == PayloadTypes.PROBE)
                    .mapToInt(m -> ((RingMessage.Routed) m).payload().length).reduce((x, y) -> y).orElseThrow());
        }
        // 1: certificate; 2: fingerprint, which the restarted b cannot check, so it asks a; 3: certificate; 4: fingerprint.
        assertEquals(List.of(a.address(), a.address(), a.address()), net.inboxes.get(b).sources,
                "b took the first, third and fourth");
        assertTrue(sizes.get(1) < sizes.get(0) && sizes.get(3) < sizes.get(2) && sizes.get(2).equals(sizes.get(0)),
                "payload sizes " + sizes);
        assertEquals(1, ring.signers().get(b).refused("certificate-unknown"));
    }

    @Test
    void withoutSourceAuthenticationTheSameForgeriesGetThrough() throws Exception {
        Members ring = ring(false);
        assertEquals(3, forgeRouted(ring).size(), "control: an unchecked ring delivers every forgery");
        assertTrue(forgeBroadcast(ring) > 0, "control: an unchecked ring spreads the forged broadcast");
    }

    /**
     * m sends three routed messages to a neighbour in the name of a victim: signed with its own
     * certificate, unsigned, and with the victim's certificate but m's signature. Returns the
     * sources the destination's handler saw.
     */
    private static List<String> forgeRouted(Members ring) {
        FakeRingNetwork net = ring.net();
        RingNode m = ring.node(5);
        RingNode victim = ring.node(9);
        Link link = m.links().get(0);
        RingNode target = net.nodeAt(link.address());
        assertNotNull(target);
        SourceSignatures mSigns = ring.signers().get(m);
        byte[] signedByM = mSigns.signRouted(victim.address(), target.address(), PayloadTypes.PROBE, SECRET);
        byte[] victimSigned = ring.signers().get(victim).signRouted(victim.address(), target.address(),
                PayloadTypes.PROBE, "another payload, signed".getBytes(StandardCharsets.US_ASCII));
        // The victim's certificate and signature over another payload, with m's payload put in.
        byte[] spliced = victimSigned.clone();
        System.arraycopy(SECRET, 0, spliced, 3, 8);
        List<byte[]> forgeries = List.of(signedByM, SECRET, spliced);
        for (byte[] payload : forgeries) {
            net.transmit(FakeRingNetwork.path(m), link.path(), new RingMessage.Routed(victim.address(), target.address(),
                    RoutingMode.EXACT, 16, 0, false, payload.length, PayloadTypes.PROBE, payload));
        }
        net.run(2_000);
        List<String> through = new ArrayList<>();
        net.inboxes.get(target).sources.forEach(a -> through.add(a.shortString()));
        return through;
    }

    /** m sends a broadcast over the ring in the victim's name; returns how many nodes took it. */
    private static int forgeBroadcast(Members ring) {
        FakeRingNetwork net = ring.net();
        RingNode m = ring.node(5);
        Link link = nearestClockwise(m);
        RingNode victim = ring.node(9).address().equals(link.address()) ? ring.node(10) : ring.node(9);
        byte[] payload = ring.signers().get(m).signBroadcast(victim.address(), 77, PayloadTypes.PROBE, SECRET);
        // The range from the neighbour round to the victim: as much as a broadcast of the victim's may cover here (the
        // hop checks the range against the sender and the origin), so that only the signature is left to stop it.
        RingAddress end = victim.address();
        int before = net.inboxes.values().stream().mapToInt(i -> i.broadcasts).sum();
        net.transmit(FakeRingNetwork.path(m), link.path(), new RingMessage.Broadcast(victim.address(), 77, end, 16,
                PayloadTypes.PROBE, payload));
        net.run(2_000);
        return net.inboxes.values().stream().mapToInt(i -> i.broadcasts).sum() - before;
    }

    /** {@code node}'s link nearest clockwise: a range {@code node} hands it may reach round to {@code node}. */
    private static Link nearestClockwise(RingNode node) {
        return node.links().stream().min((a, b) -> node.address().clockwiseTo(a.address())
                .compareTo(node.address().clockwiseTo(b.address()))).orElseThrow();
    }
}
