package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.SignedDhtRecords;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A fake ring whose nodes hold certificates of one group CA, each at the ring address its
 * certificate gives, with signed DHT records; or, with {@code signed} false, the same ring in
 * plaintext (values bare bytes, as before records): what the insider tests run against to show
 * that each attack gets through without the checks.
 */
final class SignedRing {
    static final RingConfig CONFIG = RingConfig.defaults();
    final FakeRingNetwork net;
    final boolean signed;
    final long base = Instant.now().toEpochMilli() / 1000 * 1000;
    final GroupCa ca;
    final List<RingNode> nodes = new ArrayList<>();
    final Map<RingNode, NodeIdentity> identities = new HashMap<>();
    private int endpoints;

    SignedRing(long seed, boolean signed) {
        this.net = new FakeRingNetwork(seed);
        this.signed = signed;
        this.ca = GroupCa.create("lab", Instant.ofEpochMilli(base), Duration.ofDays(30));
    }

    /** A ring of {@code n} members, formed. */
    static SignedRing formed(int n, long seed, boolean signed) {
        return formed(n, seed, signed, DhtConfig.defaults());
    }

    /** A ring of {@code n} members whose DHTs run with {@code dht}, formed. */
    static SignedRing formed(int n, long seed, boolean signed, DhtConfig dht) {
        SignedRing ring = new SignedRing(seed, signed);
        ring.net.dhtConfig = dht;
        RingNode first = ring.member(ring.ca, "n0", 0);
        first.start(List.of());
        for (int i = 1; i < n; i++) {
            RingNode node = ring.member(ring.ca, "n" + i, 0);
            ring.net.clock.schedule(i * 50L, () -> node.start(List.of(first.self().endpoint())));
        }
        ring.net.run(n * 50L + 60_000);
        return ring;
    }

    long wall() {
        return base + net.now();
    }

    /** A node with a certificate of {@code issuer} (this group's CA or another), its wall clock {@code skew} ms off; not started. */
    RingNode member(GroupCa issuer, String name, long skew) {
        return member(issuer, name, skew, java.util.Set.of());
    }

    /** As {@link #member(GroupCa, String, long)}, its certificate granting {@code roles}. */
    RingNode member(GroupCa issuer, String name, long skew, java.util.Set<String> roles) {
        return member(issuer, name, skew, roles, a -> true);
    }

    /**
     * As {@link #member(GroupCa, String, long, java.util.Set)}, at a ring address that {@code where}
     * accepts: certificates are issued to fresh keys until one lands there, so that a test can pin
     * a node's place (among a key's holders, say) although addresses come from random keys.
     */
    RingNode member(GroupCa issuer, String name, long skew, java.util.Set<String> roles,
                    java.util.function.Predicate<io.ringswitch.overlay.ring.RingAddress> where) {
        NodeIdentity identity = null;
        for (int tries = 0; identity == null; tries++) {
            if (tries == 10_000) {
                throw new AssertionError("no key of 10000 gave " + name + " a ring address where the test wants it");
            }
            NodeIdentity drawn = identity(issuer, name, roles);
            if (where.test(drawn.certificate().address())) {
                identity = drawn;
            }
        }
        RingNode node = net.add(new Contact(identity.certificate().address(), FakeRingNetwork.endpoint(++endpoints)),
                CONFIG);
        LongSupplier clock = () -> wall() + skew;
        if (signed) {
            node.dht().useRecords(new SignedDhtRecords(identity, clock));
        }
        identities.put(node, identity);
        nodes.add(node);
        return node;
    }

    private NodeIdentity identity(GroupCa issuer, String name, java.util.Set<String> roles) {
        KeyPair keys = GroupCa.newKeyPair();
        Instant now = Instant.ofEpochMilli(wall());
        X509Certificate cert = issuer.issue(name, keys.getPublic(), Optional.empty(), now, Duration.ofDays(7), roles);
        try {
            return new NodeIdentity(keys.getPrivate(), NodeCertificate.verify(cert, issuer.certificate(), now),
                    issuer.certificate());
        } catch (NodeCertificate.CertificateRejected e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Another member joining the formed ring at an address that is the {@code rank}-th nearest
     * (0: the nearest) to {@code key} of all running members and itself: one of the key's holders
     * every run, whatever keys the run draws.
     */
    RingNode joinAsHolder(String name, long skew, DhtKey key, int rank) {
        List<io.ringswitch.overlay.ring.RingAddress> running = nodes.stream().filter(RingNode::isRunning)
                .map(RingNode::address).toList();
        RingNode node = member(ca, name, skew, java.util.Set.of(), a -> {
            List<io.ringswitch.overlay.ring.RingAddress> all = new ArrayList<>(running);
            all.add(a);
            return Replicas.nearest(key.address(), all, rank + 1).get(rank).equals(a);
        });
        node.start(List.of(nodes.get(0).self().endpoint()));
        net.run(30_000);
        return node;
    }

    /** Another member joining the formed ring. */
    RingNode join(GroupCa issuer, String name, long skew) {
        return join(issuer, name, skew, java.util.Set.of());
    }

    /** Another member joining the formed ring, its certificate granting {@code roles}. */
    RingNode join(GroupCa issuer, String name, long skew, java.util.Set<String> roles) {
        RingNode node = member(issuer, name, skew, roles);
        node.start(List.of(nodes.get(0).self().endpoint()));
        net.run(30_000);
        return node;
    }

    /** The records of {@code node}'s identity on a clock {@code skew} ms off, for an attacker that seals by hand. */
    SignedDhtRecords recordsOf(RingNode node, long skew) {
        return new SignedDhtRecords(identities.get(node), () -> wall() + skew);
    }

    <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        for (int i = 0; i < 600 && !future.isDone(); i++) {
            net.run(100);
        }
        if (!future.isDone()) {
            throw new AssertionError("no answer within a minute");
        }
        return future.getNow(null);
    }

    /** The DHT counters of every node, summed by name. */
    long total(java.util.function.ToLongFunction<DhtCounters> counter) {
        return nodes.stream().mapToLong(n -> counter.applyAsLong(n.dht().counters())).sum();
    }
}
