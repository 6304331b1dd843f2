package io.ringswitch.overlay.ring.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.node.RingNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The DHT on a ring of a few dozen nodes, on virtual time. */
class DhtTest {
    private static final RingConfig CONFIG = RingConfig.defaults();
    private static final long MINUTE = 60_000;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs the ring until the operation completed (at most a minute) and returns its result. */
    private static DhtResult await(FakeRingNetwork net, CompletableFuture<DhtResult> future) {
        for (int i = 0; i < 600 && !future.isDone(); i++) {
            net.run(100);
        }
        assertTrue(future.isDone(), "no answer within a minute");
        return future.getNow(null);
    }

    private static List<RingNode> running(FakeRingNetwork net) {
        return net.nodes.stream().filter(RingNode::isRunning).toList();
    }

    /** The nodes that hold a live value of {@code key}. */
    private static List<RingAddress> holders(FakeRingNetwork net, DhtKey key) {
        return running(net).stream().filter(n -> !n.dht().localValues(key).isEmpty()).map(RingNode::address).sorted()
                .toList();
    }

    /** The {@code k} running nodes nearest the key, which should be its holders. */
    private static List<RingAddress> nearest(FakeRingNetwork net, DhtKey key, int k) {
        return Replicas.nearest(key.address(), running(net).stream().map(RingNode::address).toList(), k).stream()
                .sorted().toList();
    }

    @Test
    void aValuePutAtOneNodeIsFoundFromEveryOther() {
        FakeRingNetwork net = FakeRingNetwork.formed(40, 41, CONFIG);
        DhtKey key = DhtKey.of("ip/10.1.0.7");
        DhtResult put = await(net, net.nodes.get(3).dht().put(key, bytes("node-3"), 10 * MINUTE));
        assertEquals(DhtStatus.OK, put.status());
        int hops = 0;
        for (RingNode node : net.nodes) {
            DhtResult got = await(net, node.dht().get(key));
            assertEquals(DhtStatus.OK, got.status(), "get from " + node.address().shortString());
            assertEquals(1, got.values().size());
            assertArrayEquals(bytes("node-3"), got.first());
            assertTrue(got.values().get(0).ttlMillis() > 9 * MINUTE);
            hops += got.requestHops();
        }
        assertTrue(hops / 40.0 < 5, "mean hops to the key " + hops / 40.0);
        assertEquals(DhtStatus.NOT_FOUND, await(net, net.nodes.get(5).dht().get(DhtKey.of("ip/10.1.0.8"))).status());
    }

    @Test
    void aValueLivesOnTheKNearestNodesAndNowhereElse() {
        FakeRingNetwork net = FakeRingNetwork.formed(40, 42, CONFIG);
        for (int i = 0; i < 20; i++) {
            DhtKey key = DhtKey.of("mac/02:00:00:00:00:" + i);
            assertEquals(DhtStatus.OK, await(net, net.nodes.get(i).dht().put(key, bytes("v" + i), 10 * MINUTE)).status());
        }
        net.run(10_000);
        for (int i = 0; i < 20; i++) {
            DhtKey key = DhtKey.of("mac/02:00:00:00:00:" + i);
            assertEquals(nearest(net, key, 3), holders(net, key), "holders of " + key);
        }
    }

    @Test
    void valuesExpireAndANodeThatHoldsNothingSendsNothing() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 43, CONFIG);
        DhtKey key = DhtKey.of("gateway");
        assertEquals(DhtStatus.OK, await(net, net.nodes.get(1).dht().put(key, bytes("gw-a"), 20_000)).status());
        net.run(10_000);
        assertEquals(DhtStatus.OK, await(net, net.nodes.get(2).dht().get(key)).status());
        net.run(15_000);
        assertEquals(DhtStatus.NOT_FOUND, await(net, net.nodes.get(2).dht().get(key)).status());
        net.run(10_000);
        assertEquals(0, net.nodes.stream().mapToInt(n -> n.dht().localSize()).sum(), "expired values are swept");
        int before = net.sent.size();
        net.run(MINUTE);
        assertEquals(0, dhtMessages(net.sent.subList(before, net.sent.size())), "DHT messages after everything expired");
    }

    @Test
    void anUnusedDhtSendsNothing() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 44, CONFIG);
        net.run(MINUTE);
        assertEquals(0, dhtMessages(net.sent));
        assertTrue(net.nodes.stream().allMatch(n -> n.dht().counters().toMap().values().stream().allMatch(v -> v == 0)));
    }

    private static long dhtMessages(List<FakeRingNetwork.Sent> sent) {
        return sent.stream().filter(s -> s.message() instanceof RingMessage.Routed r && r.payloadType() == PayloadTypes.DHT)
                .count();
    }

    @Test
    void aPublishedValueOutlivesItsTimeToLiveUntilCancelled() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 45, CONFIG);
        DhtKey key = DhtKey.of("group/lab");
        DhtPublication kept = net.nodes.get(4).dht().publish(key, bytes("member-4"), 20_000);
        net.run(2 * MINUTE);
        assertEquals(DhtStatus.OK, await(net, net.nodes.get(9).dht().get(key)).status());
        assertTrue(net.nodes.get(4).dht().counters().republished() >= 5);
        kept.cancel();
        net.run(30_000);
        assertEquals(DhtStatus.NOT_FOUND, await(net, net.nodes.get(9).dht().get(key)).status());
    }

    @Test
    void ofTwoRacingCreatorsExactlyOneWinsAndBothSeeTheWinnersValue() {
        for (long seed = 46; seed < 52; seed++) {
            FakeRingNetwork net = FakeRingNetwork.formed(40, seed, CONFIG);
            DhtKey key = DhtKey.of("lease/10.1.0." + seed);
            RingNode a = net.nodes.get(7);
            RingNode b = net.nodes.get(23);
            CompletableFuture<DhtResult> fa = a.dht().createIfAbsent(key, bytes("a"), 10 * MINUTE);
            CompletableFuture<DhtResult> fb = b.dht().createIfAbsent(key, bytes("b"), 10 * MINUTE);
            DhtResult ra = await(net, fa);
            DhtResult rb = await(net, fb);
            assertTrue((ra.status() == DhtStatus.CREATED) != (rb.status() == DhtStatus.CREATED),
                    "exactly one wins: " + ra + " / " + rb);
            assertTrue(ra.status() == DhtStatus.EXISTS || rb.status() == DhtStatus.EXISTS);
            byte[] winner = ra.status() == DhtStatus.CREATED ? bytes("a") : bytes("b");
            assertEquals(1, ra.values().size());
            assertEquals(1, rb.values().size());
            assertArrayEquals(winner, ra.first());
            assertArrayEquals(winner, rb.first());
            DhtResult again = await(net, net.nodes.get(30).dht().createIfAbsent(key, bytes("c"), MINUTE));
            assertEquals(DhtStatus.EXISTS, again.status());
            assertArrayEquals(winner, again.first());
            DhtResult repeat = await(net, (winner[0] == 'a' ? a : b).dht().createIfAbsent(key, winner, 10 * MINUTE));
            assertEquals(DhtStatus.CREATED, repeat.status(), "the winner may ask again");
        }
    }

    @Test
    void twoNodesThatBothDecideACreateOfOneKeyLetTheNearerOneWin() {
        FakeRingNetwork net = FakeRingNetwork.formed(40, 58, CONFIG);
        DhtKey key = DhtKey.of("lease/10.1.0.200");
        List<RingAddress> holders = Replicas.nearest(key.address(),
                running(net).stream().map(RingNode::address).toList(), 3);
        RingNode nearer = net.nodeAt(holders.get(0));
        RingNode farther = net.nodeAt(holders.get(1));
        RingNode requester = net.nodeAt(holders.get(2));
        // As if the ring were still settling: each of the two gets a create as the node nearest the key.
        requester.send(nearer.address(), io.ringswitch.overlay.ring.message.RoutingMode.EXACT, PayloadTypes.DHT,
                DhtMessageCodec.encode(new DhtMessage.Request(1, DhtMessage.Op.CREATE, key, bytes("a"), MINUTE)), true);
        requester.send(farther.address(), io.ringswitch.overlay.ring.message.RoutingMode.EXACT, PayloadTypes.DHT,
                DhtMessageCodec.encode(new DhtMessage.Request(2, DhtMessage.Op.CREATE, key, bytes("b"), MINUTE)), true);
        int before = net.sent.size();
        net.run(5_000);
        java.util.Map<Long, DhtStatus> answers = new java.util.HashMap<>();
        for (FakeRingNetwork.Sent sent : net.sent.subList(before, net.sent.size())) {
            if (sent.message() instanceof RingMessage.Routed r && r.payloadType() == PayloadTypes.DHT
                    && r.dst().equals(requester.address())) {
                try {
                    if (DhtMessageCodec.decode(r.payload()) instanceof DhtMessage.Reply reply) {
                        answers.put(reply.id(), reply.status());
                    }
                } catch (io.ringswitch.overlay.ring.message.RingMessageCodec.MalformedException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertEquals(java.util.Map.of(1L, DhtStatus.CREATED, 2L, DhtStatus.RETRY), answers);
        net.run(10_000);
        for (RingAddress h : holders) {
            List<DhtValue> held = net.nodeAt(h).dht().localValues(key);
            assertEquals(1, held.size());
            assertArrayEquals(bytes("a"), held.get(0).bytes());
        }
        DhtResult retried = await(net, net.nodes.get(0).dht().createIfAbsent(key, bytes("b"), MINUTE));
        assertEquals(DhtStatus.EXISTS, retried.status());
        assertArrayEquals(bytes("a"), retried.first());
    }

    @Test
    void aKeyHoldsAtMostItsValuesAndValuesAtMostTheirSize() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 52, CONFIG);
        DhtKey key = DhtKey.of("multicast/239.1.1.1");
        for (int i = 0; i < 8; i++) {
            assertEquals(DhtStatus.OK, await(net, net.nodes.get(i).dht().put(key, bytes("member-" + i), MINUTE)).status());
        }
        DhtResult full = await(net, net.nodes.get(9).dht().put(key, bytes("member-9"), MINUTE));
        assertEquals(DhtStatus.KEY_FULL, full.status());
        assertEquals(8, full.values().size());
        assertEquals(DhtStatus.OK, await(net, net.nodes.get(3).dht().put(key, bytes("member-3"), MINUTE)).status(),
                "a value the key holds may be refreshed");
        assertEquals(8, await(net, net.nodes.get(11).dht().get(key)).values().size());
        DhtResult big = await(net, net.nodes.get(1).dht().put(DhtKey.of("big"), new byte[1025], MINUTE));
        assertEquals(DhtStatus.REFUSED, big.status());
        assertEquals(DhtStatus.OK, await(net, net.nodes.get(1).dht().put(DhtKey.of("big"), new byte[1024], MINUTE)).status());
        assertEquals(DhtStatus.REFUSED, await(net, net.nodes.get(1).dht().put(key, bytes("x"), 0)).status());
        assertEquals(DhtStatus.REFUSED, await(net, net.nodes.get(1).dht().put(key, bytes("x"), 2 * 86_400_000L)).status());
    }

    @Test
    void theNodesNearestAKeyRefuseValuesOverTheirOwnLimits() {
        FakeRingNetwork net = new FakeRingNetwork(53);
        net.dhtConfig = new DhtConfig(3, 100, 2, 4, 60_000, 3000, 3, 500, 1500, 1000, 5000, 30_000);
        net.ring(30, CONFIG, 30 * 50 + MINUTE);
        // A node with the defaults asks for more than the nodes around the key take.
        net.dhtConfig = DhtConfig.defaults();
        RingNode generous = net.add(CONFIG);
        generous.start(List.of(net.nodes.get(0).self().endpoint()));
        net.run(30_000);
        DhtKey key = keyNotHeldBy(net, generous);
        assertEquals(DhtStatus.REFUSED, await(net, generous.dht().put(key, new byte[101], MINUTE)).status());
        assertEquals(DhtStatus.REFUSED, await(net, generous.dht().put(key, bytes("v"), 2 * MINUTE)).status());
        assertEquals(DhtStatus.OK, await(net, generous.dht().put(key, bytes("v1"), MINUTE)).status());
        assertEquals(DhtStatus.OK, await(net, generous.dht().put(key, bytes("v2"), MINUTE)).status());
        assertEquals(DhtStatus.KEY_FULL, await(net, generous.dht().put(key, bytes("v3"), MINUTE)).status());
        DhtCounters owner = net.nodeAt(Replicas.nearest(key.address(),
                running(net).stream().map(RingNode::address).toList(), 1).get(0)).dht().counters();
        assertTrue(owner.valueTooLarge() == 1 && owner.badTtl() == 1 && owner.keyFull() == 1, owner.toMap().toString());
        int stored = 0;
        int nodeFull = 0;
        for (int i = 0; i < 40; i++) {
            DhtResult r = await(net, generous.dht().put(DhtKey.of("k" + i), bytes("v"), MINUTE));
            stored += r.status() == DhtStatus.OK ? 1 : 0;
            nodeFull += r.status() == DhtStatus.NODE_FULL ? 1 : 0;
        }
        assertTrue(nodeFull > 0 && stored > 0, stored + " stored, " + nodeFull + " refused: node full");
        for (RingNode node : running(net)) {
            if (node != generous) {
                assertTrue(node.dht().localSize() <= 4, node.dht().localSize() + " values at a node that takes 4");
            }
        }
    }

    /** A key that {@code node} is none of the three nearest nodes of. */
    private static DhtKey keyNotHeldBy(FakeRingNetwork net, RingNode node) {
        for (int i = 0; ; i++) {
            DhtKey key = DhtKey.of("key-" + i);
            if (!nearest(net, key, 3).contains(node.address())) {
                return key;
            }
        }
    }

    @Test
    void whenTheNodeNearestAKeyDiesTheValueIsStillFoundAndBackOnThreeNodes() {
        FakeRingNetwork net = FakeRingNetwork.formed(40, 54, CONFIG);
        DhtKey key = DhtKey.of("ip/10.1.0.99");
        assertEquals(DhtStatus.OK, await(net, net.nodes.get(0).dht().put(key, bytes("site-0"), 10 * MINUTE)).status());
        net.run(5_000);
        RingNode owner = net.nodeAt(nearest(net, key, 1).get(0));
        owner.stop(false);
        DhtResult soon = await(net, net.nodes.stream().filter(n -> n != owner && n.isRunning()).findFirst().orElseThrow()
                .dht().get(key));
        assertEquals(DhtStatus.OK, soon.status(), "right after the crash");
        net.run(30_000);
        assertEquals(nearest(net, key, 3), holders(net, key));
        RingNode second = net.nodeAt(nearest(net, key, 1).get(0));
        second.stop(false);
        RingNode third = net.nodeAt(nearest(net, key, 1).get(0));
        third.stop(false);
        net.run(30_000);
        assertArrayEquals(bytes("site-0"), await(net, net.nodes.get(1).dht().get(key)).first(),
                "the three nearest died one after another");
        assertEquals(nearest(net, key, 3), holders(net, key));
    }

    @Test
    void aNodeThatJoinsNearestAKeyTakesItAndTheFourthNearestLetsGo() {
        FakeRingNetwork net = FakeRingNetwork.formed(40, 55, CONFIG);
        DhtKey key = DhtKey.of("ip/10.1.0.42");
        assertEquals(DhtStatus.OK, await(net, net.nodes.get(6).dht().put(key, bytes("site-6"), 10 * MINUTE)).status());
        net.run(5_000);
        List<RingAddress> before = nearest(net, key, 3);
        RingNode joiner = net.add(new Contact(key.address().plus(RingAddress.atFraction(1e-9)), FakeRingNetwork.endpoint(77)),
                CONFIG);
        joiner.start(List.of(net.nodes.get(0).self().endpoint()));
        net.run(30_000);
        assertEquals(joiner.address(), Replicas.nearest(key.address(),
                running(net).stream().map(RingNode::address).toList(), 1).get(0));
        assertArrayEquals(bytes("site-6"), joiner.dht().localValues(key).get(0).bytes());
        assertEquals(nearest(net, key, 3), holders(net, key));
        assertTrue(holders(net, key).stream().filter(before::contains).count() == 2, "one of the former holders let go");
        DhtResult got = await(net, net.nodes.get(12).dht().get(key));
        assertArrayEquals(bytes("site-6"), got.first());
    }

    @Test
    void aCopyFarFromItsKeyIsHandedToTheNodeNearestItAndLetGo() {
        FakeRingNetwork net = new FakeRingNetwork(59);
        net.dhtConfig = DhtConfig.defaults().withReplicas(2);
        net.ring(40, CONFIG, 40 * 50 + MINUTE);
        DhtKey key = DhtKey.of("ip/10.1.0.77");
        assertEquals(DhtStatus.OK, await(net, net.nodes.get(0).dht().put(key, bytes("real"), 10 * MINUTE)).status());
        List<RingAddress> byDistance = Replicas.nearest(key.address(), running(net).stream().map(RingNode::address).toList(), 40);
        RingNode far = net.nodeAt(byDistance.get(20));
        // As a request that ended at the wrong node while the ring healed would leave it: a copy far away.
        RingNode sender = net.nodes.stream().filter(n -> n != far).findFirst().orElseThrow();
        sender.send(far.address(), io.ringswitch.overlay.ring.message.RoutingMode.EXACT, PayloadTypes.DHT,
                DhtMessageCodec.encode(new DhtMessage.Store(List.of(new DhtMessage.Entry(key,
                        List.of(new DhtValue(bytes("stray"), 5 * MINUTE)), List.of(far.address()))))), true);
        net.run(10_000);
        assertEquals(1, far.dht().counters().handedOff());
        net.run(40_000);
        assertTrue(far.dht().localValues(key).isEmpty(), "let go after handing it off");
        assertEquals(1, far.dht().counters().letGo());
        assertEquals(nearest(net, key, 2), holders(net, key));
        for (RingAddress h : nearest(net, key, 2)) {
            assertEquals(2, net.nodeAt(h).dht().localValues(key).size(), "the holders took the handed-off value");
        }
    }

    @Test
    void aCreateThatWonIsKeptAndOneThatLostStops() {
        FakeRingNetwork net = FakeRingNetwork.formed(30, 56, CONFIG);
        DhtKey key = DhtKey.of("lease/10.1.0.5");
        DhtPublication mine = net.nodes.get(2).dht().createAndKeep(key, bytes("node-2"), 20_000);
        assertEquals(DhtStatus.CREATED, await(net, mine.latest()).status());
        DhtPublication theirs = net.nodes.get(8).dht().createAndKeep(key, bytes("node-8"), 20_000);
        assertEquals(DhtStatus.EXISTS, await(net, theirs.latest()).status());
        assertTrue(theirs.cancelled());
        net.run(2 * MINUTE);
        assertEquals(DhtStatus.CREATED, await(net, mine.latest()).status());
        DhtResult got = await(net, net.nodes.get(20).dht().get(key));
        assertEquals(1, got.values().size());
        assertArrayEquals(bytes("node-2"), got.first());
    }

    @Test
    void aStoppedNodeAnswersStoppedAndForgetsWhatItHeld() {
        FakeRingNetwork net = FakeRingNetwork.formed(20, 57, CONFIG);
        RingNode node = net.nodes.get(3);
        CompletableFuture<DhtResult> open = node.dht().get(DhtKey.of("x"));
        node.stop(true);
        assertEquals(DhtStatus.STOPPED, open.getNow(null).status());
        assertEquals(DhtStatus.STOPPED, node.dht().put(DhtKey.of("x"), bytes("v"), MINUTE).getNow(null).status());
        assertEquals(0, node.dht().localSize());
    }
}
