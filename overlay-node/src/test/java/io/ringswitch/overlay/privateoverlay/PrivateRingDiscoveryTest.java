package io.ringswitch.overlay.privateoverlay;

import io.ringswitch.overlay.api.Endpoints;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.secure.SessionSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.EventLoopScheduler;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.dht.DhtRecord;
import io.ringswitch.overlay.ring.dht.DhtResult;
import io.ringswitch.overlay.ring.dht.DhtValue;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.secure.SecureLinkHandler;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.underlay.UnderlayTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Private rings found through a public one, on loopback sockets: members of two groups (each its
 * own CA) meet through one public ring and link only within their group; a member of the public
 * ring that reads a group's endpoints there still gets no link to the group's ring.
 */
class PrivateRingDiscoveryTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final SessionSettings SETTINGS = SessionSettings.defaults();

    private final GroupCa publicCa = GroupCa.create("public", GroupRecordsTest.NOW.minusSeconds(60), Duration.ofDays(1));
    private final GroupCa groupA = GroupCa.create("alpha", GroupRecordsTest.NOW.minusSeconds(60), Duration.ofDays(1));
    private final GroupCa groupB = GroupCa.create("beta", GroupRecordsTest.NOW.minusSeconds(60), Duration.ofDays(1));
    private final List<UnderlayTransport> transports = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    /** A member of a private group: its public ring node and its private ring node, on one loop. */
    private record Member(StandaloneRing publicRing, StandaloneRing privateRing, PublicDiscovery discovery) {
        RingAddress address() {
            return privateRing.ring().address();
        }
    }

    @AfterEach
    void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // Closing the rest matters more.
            }
        }
        for (UnderlayTransport t : transports) {
            t.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    @Test
    void membersOfTwoGroupsOnOnePublicRingLinkOnlyWithinTheirGroup() throws Exception {
        StandaloneRing pub = ring(GroupRecordsTest.identity(publicCa, "p1"), List.of(), transport());
        Member a1 = member(groupA, "a1", pub);
        Member a2 = member(groupA, "a2", pub);
        Member b1 = member(groupB, "b1", pub);
        Member b2 = member(groupB, "b2", pub);

        await(() -> linked(a1, a2) && linked(a2, a1) && linked(b1, b2) && linked(b2, b1), "each group's pair linked");

        Set<RingAddress> groupAAddresses = Set.of(a1.address(), a2.address());
        Set<RingAddress> groupBAddresses = Set.of(b1.address(), b2.address());
        for (Member m : List.of(a1, a2, b1, b2)) {
            Set<RingAddress> own = groupAAddresses.contains(m.address()) ? groupAAddresses : groupBAddresses;
            Set<RingAddress> peers = on(m.privateRing(), () -> m.privateRing().ring().links().stream().map(Link::address)
                    .collect(Collectors.toSet()));
            assertTrue(own.containsAll(peers), m.address().shortString() + " linked outside its group: " + peers);
            Set<InetSocketAddress> ownEndpoints = own.equals(groupAAddresses)
                    ? Set.of(a1.privateRing().endpoint(), a2.privateRing().endpoint())
                    : Set.of(b1.privateRing().endpoint(), b2.privateRing().endpoint());
            List<InetSocketAddress> bootstraps = on(m.privateRing(), () -> m.privateRing().ring().bootstraps());
            assertTrue(ownEndpoints.containsAll(bootstraps), "joins through its group's endpoints only: " + bootstraps);
            Map<RingAddress, GroupRecords.Member> found = on(m.privateRing(), () -> m.discovery().members());
            assertTrue(own.containsAll(found.keySet()), "found only its group: " + found.keySet());
        }
        // The status's section, from a scrape off the loop (as the operator's endpoint takes one).
        // a1 can find a2's record before its own store has been acknowledged (the public ring's
        // DHT answers the read first): wait for both, then read the section once.
        await(() -> section(a1).members().size() == 1 && section(a1).publications() >= 1,
                "a1's section lists the member it found and its own acknowledged publication");
        NodeStatus.PrivateOverlayStatus s = section(a1);
        assertTrue(s.members().get(0).startsWith(a2.address() + " ["), s.members().toString());
        assertTrue(s.publicJoined() && s.publicLinks() > 0 && s.publications() >= 1 && s.reads() >= 1, s.toString());
        assertEquals(a1.publicRing().ring().address().toString(), s.publicAddress());
        assertTrue(s.key().startsWith(GroupRecords.PREFIX + "alpha:"), s.key());
        assertTrue(s.bootstraps().contains(Endpoints.format(a2.privateRing().endpoint())), s.bootstraps().toString());
        assertTrue(MetricsSnapshot.of(a1.privateRing().metrics()).has("ringswitch_public_ring_messages_total"),
                "the public ring node's figures come renamed");
    }

    private static NodeStatus.PrivateOverlayStatus section(Member m) {
        return PrivateOverlayMetrics.status(MetricsSnapshot.of(m.privateRing().metrics()));
    }

    @Test
    void aPublicRingMemberOutsideTheGroupReadsItsEndpointsButGetsNoLink() throws Exception {
        StandaloneRing pub = ring(GroupRecordsTest.identity(publicCa, "p1"), List.of(), transport());
        Member a1 = member(groupA, "a1", pub);
        Member a2 = member(groupA, "a2", pub);
        await(() -> linked(a1, a2) && linked(a2, a1), "the group's pair linked");

        UnderlayTransport intruderLoop = transport();
        NodeIdentity intruder = GroupRecordsTest.identity(publicCa, "m");
        StandaloneRing intruderPublic = ring(intruder, List.of(pub.endpoint()), intruderLoop);
        await(() -> on(intruderPublic, () -> intruderPublic.ring().isConnected()), "the intruder joined the public ring");
        // The records are no secret on the public ring: the intruder reads the group's endpoints there.
        DhtResult read = intruderPublic.loop().submit(() -> intruderPublic.ring().dht()
                .get(GroupRecords.key("alpha", groupA.certificate()))).get().get(10, TimeUnit.SECONDS);
        List<InetSocketAddress> stolen = new ArrayList<>();
        for (DhtValue v : read.values()) {
            stolen.addAll(MemberEndpointsCodec.decode(DhtRecord.parse(v.bytes()).value()).endpoints());
        }
        assertTrue(stolen.contains(a1.privateRing().endpoint()), "the intruder read " + stolen);

        StandaloneRing intruderPrivate = ring(intruder, stolen, intruderLoop);
        await(() -> refusedOtherCa(a1) + refusedOtherCa(a2) + refused(intruderPrivate) > 0,
                "a handshake between the intruder and the group refused for its CA");
        await(() -> on(intruderPrivate, () -> intruderPrivate.ring().bootstraps().size()) == stolen.size(),
                "the intruder keeps trying");

        assertEquals(0, (int) on(intruderPrivate, () -> intruderPrivate.ring().linkCount()), "the intruder's links");
        RingAddress intruderAddress = intruder.certificate().address();
        for (Member m : List.of(a1, a2)) {
            assertFalse(on(m.privateRing(), () -> m.privateRing().ring().links().stream()
                    .anyMatch(l -> l.address().equals(intruderAddress))), "a member linked the intruder");
        }
    }

    private Member member(GroupCa group, String name, StandaloneRing pub) throws Exception {
        UnderlayTransport loop = transport();
        NodeIdentity publicIdentity = GroupRecordsTest.identity(publicCa, name + "-public");
        StandaloneRing publicRing = ring(publicIdentity, List.of(pub.endpoint()), loop);
        NodeIdentity identity = GroupRecordsTest.identity(group, name);
        StandaloneRing privateRing = ring(identity, List.of(), loop);
        NodeMetrics recordsMetrics = NodeMetrics.inProcess();
        PublicDiscovery discovery = new PublicDiscovery(publicRing.ring(), privateRing.ring(),
                new GroupRecords(identity, System::currentTimeMillis, recordsMetrics), new EventLoopScheduler(publicRing.loop()),
                300, publicIdentity.certificate().certificate().getEncoded().length, privateRing.metrics());
        PrivateOverlayMetrics.register(privateRing.metrics(), discovery, publicRing.loop(), recordsMetrics, publicRing.metrics());
        publicRing.loop().submit(discovery::start).sync();
        open.add(() -> publicRing.loop().submit(discovery::stop).await(1, TimeUnit.SECONDS));
        return new Member(publicRing, privateRing, discovery);
    }

    private StandaloneRing ring(NodeIdentity identity, List<InetSocketAddress> bootstrap, UnderlayTransport loop)
            throws InterruptedException {
        StandaloneRing ring = StandaloneRing.start(identity, ANY_LOOPBACK, bootstrap, loop, SETTINGS);
        open.add(ring);
        return ring;
    }

    private UnderlayTransport transport() {
        UnderlayTransport t = UnderlayTransport.choose(false);
        transports.add(t);
        return t;
    }

    private boolean linked(Member from, Member to) throws Exception {
        return on(from.privateRing(), () -> from.privateRing().ring().links().stream()
                .anyMatch(l -> l.address().equals(to.address())));
    }

    private long refusedOtherCa(Member m) throws Exception {
        return on(m.privateRing(), () -> m.privateRing().security().snapshot().refused()
                .getOrDefault("certificate-other-ca", 0L));
    }

    private long refused(StandaloneRing ring) throws Exception {
        return on(ring, () -> ring.security().snapshot().refused().getOrDefault("certificate-other-ca", 0L));
    }

    private static <T> T on(StandaloneRing ring, Callable<T> read) throws Exception {
        return ring.loop().submit(read).get(5, TimeUnit.SECONDS);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 30 s: " + what);
    }
}
