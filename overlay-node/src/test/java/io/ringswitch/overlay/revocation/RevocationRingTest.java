package io.ringswitch.overlay.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtResult;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.RevocationCodec;
import io.ringswitch.overlay.security.RevocationRecord;
import io.ringswitch.overlay.security.Revocations;
import io.ringswitch.overlay.security.SignedDhtRecords;
import io.ringswitch.overlay.security.SourceSignatures;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Revocation over a ring of members on virtual time (issue 19), with signed DHT records and
 * signed broadcasts as the node runs them: a record one node learns reaches every node by the
 * broadcast within seconds; the revoked member's DHT records go and its new ones are refused; its
 * broadcasts are refused; a record forged by a member or by another group's CA revokes nothing;
 * and a node that was away when the broadcast went learns the revocation from the DHT as it joins.
 */
class RevocationRingTest {
    static final int TEST_BROADCAST = 99;

    /** One member and its part in revocation. */
    static final class Member {
        RingNode node;
        NodeIdentity identity;
        Revocations revocations;
        RevocationGossip gossip;
        SourceSignatures sources;
        int testBroadcasts;
    }

    final FakeRingNetwork net = new FakeRingNetwork(19);
    final long base = Instant.now().toEpochMilli() / 1000 * 1000;
    final GroupCa ca = GroupCa.create("lab", Instant.ofEpochMilli(base), Duration.ofDays(30));
    final List<Member> members = new ArrayList<>();
    final Map<RingNode, Member> byNode = new HashMap<>();
    private int endpoints;

    long wall() {
        return base + net.now();
    }

    Member member(String name) {
        KeyPair keys = GroupCa.newKeyPair();
        Instant now = Instant.ofEpochMilli(wall());
        X509Certificate cert = ca.issue(name, keys.getPublic(), Optional.empty(), now, Duration.ofDays(7));
        Member m = new Member();
        try {
            m.identity = new NodeIdentity(keys.getPrivate(), NodeCertificate.verify(cert, ca.certificate(), now), ca.certificate());
        } catch (NodeCertificate.CertificateRejected e) {
            throw new AssertionError(e);
        }
        m.node = net.add(new Contact(m.identity.certificate().address(), FakeRingNetwork.endpoint(++endpoints)),
                RingConfig.defaults());
        SignedDhtRecords records = new SignedDhtRecords(m.identity, this::wall);
        SourceSignatures sources = new SourceSignatures(m.identity, () -> Instant.ofEpochMilli(wall()));
        m.node.authenticate(sources);
        m.sources = sources;
        m.node.dht().useRecords(records);
        m.revocations = new Revocations(ca.certificate(), null);
        records.revocations(m.revocations);
        sources.revocations(m.revocations);
        m.gossip = new RevocationGossip(m.node, m.revocations, "lab", new Random(members.size()));
        m.node.register(PayloadTypes.REVOCATION, m.gossip);
        // What NodeRevocations does on the loop: enforce, then hand on.
        m.revocations.listen((record, source) -> {
            m.node.revoked(record.address());
            m.gossip.revoked(record, source);
        });
        m.node.register(TEST_BROADCAST, new PayloadHandler() {
            @Override
            public void delivered(RingMessage.Routed message) {
            }

            @Override
            public void broadcastDelivered(RingAddress origin, byte[] payload) {
                m.testBroadcasts++;
            }
        });
        tick(m);
        members.add(m);
        byNode.put(m.node, m);
        return m;
    }

    private void tick(Member m) {
        net.clock.schedule(1000, () -> {
            m.gossip.tick(net.now());
            tick(m);
        });
    }

    void formed(int n) {
        Member first = member("n0");
        first.node.start(List.of());
        for (int i = 1; i < n; i++) {
            Member m = member("n" + i);
            net.clock.schedule(i * 50L, () -> m.node.start(List.of(first.node.self().endpoint())));
        }
        net.run(n * 50L + 60_000);
    }

    <T> T await(CompletableFuture<T> future) {
        for (int i = 0; i < 600 && !future.isDone(); i++) {
            net.run(100);
        }
        assertTrue(future.isDone(), "no answer within a minute");
        return future.getNow(null);
    }

    RevocationRecord recordOf(Member m) throws Exception {
        return RevocationRecord.issue(ca, m.identity.certificate().certificate(), wall());
    }

    /** Messages and records refused because their source or publisher is revoked, over the ring. */
    long refusedAsRevoked() {
        return members.stream().mapToLong(m -> m.node.dht().counters().recordRevoked() + m.sources.refused("revoked")).sum();
    }

    /** A key whose place on the ring is about half the ring away from {@code address}. */
    static DhtKey keyAcrossTheRingFrom(RingAddress address) {
        double opposite = (address.fraction() + 0.5) % 1.0;
        for (int i = 0; ; i++) {
            DhtKey key = DhtKey.of("mcast4:239.9." + (i / 256) + "." + (i % 256));
            double gap = Math.abs(key.address().fraction() - opposite);
            if (Math.min(gap, 1 - gap) < 0.05) {
                return key;
            }
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRevocationReachesEveryNodeInSecondsAndTheRevokedMembersRecordsAndBroadcastsAreRefused() throws Exception {
        formed(16);
        Member revoked = members.get(5);
        Member origin = members.get(0);
        DhtKey key = DhtKey.of("mcast4:239.1.2.3");
        await(revoked.node.dht().put(key, bytes("revoked-was-here"), 600_000));
        net.run(2_000);
        assertEquals(1, await(members.get(9).node.dht().get(key)).values().size(), "the member's record is held before");

        origin.revocations.learn(recordOf(revoked), Revocations.Source.LOCAL);
        net.run(3_000);
        for (Member m : members) {
            if (m != revoked) {
                assertTrue(m.revocations.revoked(revoked.identity.certificate().address()),
                        m.identity.certificate().name() + " learnt it within 3 s");
            }
        }
        assertEquals(0, await(members.get(9).node.dht().get(key)).values().size(), "its old records are gone");
        assertTrue(members.stream().filter(m -> m != revoked).allMatch(m -> m.node.dht().localValues(key).isEmpty()),
                "no holder keeps them");
        // The new store goes to a key half the ring away from the revoked member: one near its own
        // address may be kept in its own table (every member dropped its links, so its view of the
        // ring has shrunk to itself) and never leave it, which tests nothing about the members.
        DhtKey far = keyAcrossTheRingFrom(revoked.node.address());
        long refusedBefore = refusedAsRevoked();
        await(revoked.node.dht().put(far, bytes("revoked-again"), 600_000));
        net.run(2_000);
        assertEquals(0, await(members.get(9).node.dht().get(far)).values().size(), "its new store is refused");
        assertTrue(members.stream().filter(m -> m != revoked).allMatch(m -> m.node.dht().localValues(far).isEmpty()),
                "no member holds the new store");
        assertTrue(refusedAsRevoked() > refusedBefore,
                "the members that the store reached refused it because its source or publisher is revoked");
        int heard = members.stream().mapToInt(m -> m.testBroadcasts).sum();
        revoked.node.broadcast(TEST_BROADCAST, bytes("from a revoked member"));
        net.run(2_000);
        assertEquals(heard, members.stream().filter(m -> m != revoked).mapToInt(m -> m.testBroadcasts).sum(),
                "no member takes a broadcast of the revoked one");
        members.get(3).node.broadcast(TEST_BROADCAST, bytes("from an honest member"));
        net.run(2_000);
        assertTrue(members.stream().filter(m -> m != revoked).mapToInt(m -> m.testBroadcasts).sum() >= members.size() - 2,
                "honest broadcasts still reach the ring");
    }

    @Test
    void aRevocationForgedByAMemberOrAnotherCaRevokesNothingAndStopsAtTheFirstHop() throws Exception {
        formed(24);
        Member attacker = members.get(4);
        Member victim = members.get(8);
        GroupCa other = GroupCa.create("lab", Instant.ofEpochMilli(base), Duration.ofDays(30));
        RevocationRecord byOtherCa = RevocationRecord.issue(other, victim.identity.certificate().certificate(), wall());
        RevocationRecord real = recordOf(members.get(2));
        // The CA's genuine record for another member, re-pointed at the victim's address.
        RevocationRecord moved = new RevocationRecord(real.serial(), victim.identity.certificate().address(),
                real.revokedAtMillis(), real.signature());
        attacker.node.broadcast(PayloadTypes.REVOCATION, RevocationCodec.encodeList(List.of(byOtherCa, moved)));
        net.run(3_000);
        for (Member m : members) {
            assertFalse(m.revocations.revoked(victim.identity.certificate().address()));
            assertEquals(0, m.revocations.size());
        }
        long sawIt = members.stream().filter(m -> m.revocations.refused("revocation-forged") > 0).count();
        assertTrue(sawIt >= 1, "the first hops refused it");
        assertTrue(sawIt <= attacker.node.linkCount() && sawIt < members.size() - 1,
                "no honest hop passed it on: only the attacker's own links saw it (" + sawIt + " of " + members.size() + ")");
        assertTrue(members.stream().mapToLong(m -> m.node.counters().broadcastsStopped()).sum() >= 1);
    }

    @Test
    void aNodeThatWasAwayLearnsTheRevocationFromTheDhtWhenItJoins() throws Exception {
        formed(12);
        Member revoked = members.get(6);
        members.get(1).revocations.learn(recordOf(revoked), Revocations.Source.LOCAL);
        net.run(1_000);
        // Every member now refuses its handshakes: on real links it is cut off. The fake ring has
        // no handshakes, so it leaves, and the ring closes over its place.
        revoked.node.stop(false);
        net.run(30_000);
        DhtResult held = await(members.get(10).node.dht().get(RevocationGossip.key("lab")));
        assertFalse(held.values().isEmpty(), "the revocation is in the DHT");

        Member away = member("away");
        away.node.start(List.of(members.get(0).node.self().endpoint()));
        net.run(30_000);
        assertTrue(away.gossip.readsFromDht() >= 1);
        assertTrue(away.revocations.revoked(revoked.identity.certificate().address()),
                "the node that missed the broadcast learnt it from the DHT");
    }
}
