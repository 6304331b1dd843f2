package io.ringswitch.overlay.ring.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.AddressPool;
import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.overlay.forwarding.DhtAddressPool;
import io.ringswitch.overlay.forwarding.DhtDirectory;
import io.ringswitch.overlay.forwarding.DhtMulticastDirectory;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.security.GroupCa;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A member with a valid certificate of the group's CA (or of another CA) attacks what other
 * members keep in the DHT. Each case runs against the ring with signed, owned records and passes;
 * run with {@code -Dringswitch.insider.unsigned=true}, the same attacks go against the plaintext
 * DHT (bare values, as the DHT was before records) and each case fails: the attack gets through.
 */
class DhtInsiderTest {
    private static final boolean SIGNED = !Boolean.getBoolean("ringswitch.insider.unsigned");
    private static final long DAY = 86_400_000L;
    private static final long MINUTE = 60_000;
    private static final long MAC = 0x02_77_00_00_01_01L;
    private static final byte[] MAC_BYTES = {2, 0x77, 0, 0, 1, 1};

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void aForgedDirectoryEntryForAnotherSitesHostIsRefusedAndReadersStillFindTheRealSite() throws Exception {
        SignedRing ring = SignedRing.formed(20, 81, SIGNED);
        forgedEntryFromTheFuture(ring, () -> ring.join(ring.ca, "insider", DAY), 3_000);
    }

    /**
     * The same attack with the insider pinned among the holders of the host's key (the nearest, the
     * second and the third nearest): its clock, a day ahead, makes it refuse the real site's record
     * as run out; readers must still find the record that the other holders keep. Where the
     * insider's key lands is otherwise random, and once in a while it landed here. The ring runs a
     * minute after the insider joined, two times to live of the directory's records: the real
     * site's record lives only if its refreshes still reach the honest holders.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void anInsiderWithItsClockADayAheadAmongTheHoldersHidesNoRecord(int rank) throws Exception {
        SignedRing ring = SignedRing.formed(20, 81, SIGNED);
        forgedEntryFromTheFuture(ring, () -> ring.joinAsHolder("insider", DAY, DhtKey.of("ip4:10.77.1.1"), rank),
                60_000);
    }

    /** The real site publishes a host, the insider joins and claims it a day ahead; after {@code runMillis} readers look it up. */
    private void forgedEntryFromTheFuture(SignedRing ring, java.util.concurrent.Callable<RingNode> joinInsider,
                                          long runMillis) throws Exception {
        RingNode site = ring.nodes.get(3);
        RingNode reader = ring.nodes.get(12);
        DhtDirectory real = new DhtDirectory(site.dht(), site.address(), ring::wall);
        real.publish(ip("10.77.1.1"), MAC);
        ring.net.run(3_000);
        // The insider publishes the same host as its own, a day ahead, in the directory's value and in its record.
        RingNode insider = joinInsider.call();
        new DhtDirectory(insider.dht(), insider.address(), () -> ring.wall() + DAY).publish(ip("10.77.1.1"), MAC);
        ring.net.run(runMillis);
        DhtDirectory lookups = new DhtDirectory(reader.dht(), reader.address(), ring::wall);
        SiteDirectory.Located found = ring.await(lookups.lookup(ip("10.77.1.1")));
        assertNotNull(found, "the reader finds the host's entry");
        assertEquals(site.address().shortString(), found.site(), "the reader finds the real site by IP");
        assertEquals(site.address(), ring.await(lookups.site(MAC)), "and by MAC");
        DhtResult plain = ring.await(reader.dht().get(DhtKey.of("ip4:10.77.1.1")));
        assertEquals(DhtStatus.OK, plain.status(), "a plain get finds the real site's record too");
        assertEquals(List.of(site.address()), plain.values().stream().map(DhtValue::publisher).toList());
        assertTrue(ring.total(c -> c.recordFutureTimestamp()) > 0, "holders counted records from the future");
        // With an honest clock the insider's claim is a second publisher on an owned key.
        RingNode squatter = ring.join(ring.ca, "squatter", 0);
        new DhtDirectory(squatter.dht(), squatter.address(), () -> ring.wall() + MINUTE).publish(ip("10.77.1.1"), MAC);
        ring.net.run(3_000);
        found = ring.await(lookups.lookup(ip("10.77.1.1")));
        assertNotNull(found, "the reader still finds the host's entry");
        assertEquals(site.address().shortString(), found.site());
        assertEquals(site.address(), ring.await(lookups.site(MAC)));
        assertTrue(ring.total(c -> c.recordNotOwner()) > 0, "holders refused the claim on an owned key");
    }

    @Test
    void aLeaseAnotherSiteHoldsCannotBeSquatted() {
        SignedRing ring = SignedRing.formed(20, 82, SIGNED);
        RingNode server = ring.nodes.get(4);
        int address = 0x0a4d0009;
        DhtAddressPool pool = new DhtAddressPool(server.dht(), new DhtDirectory(server.dht(), server.address(), ring::wall));
        AddressPool.Claim claim = ring.await(pool.claim(address, bytes("z-holder"), 10 * MINUTE, true));
        assertTrue(claim.granted());
        RingNode insider = ring.join(ring.ca, "insider", 0);
        DhtKey lease = DhtKey.of("lease4:10.77.0.9");
        // A put (not a create) of a holder that sorts first, and a create for good measure.
        insider.dht().put(lease, bytes("a-insider"), 10 * MINUTE);
        insider.dht().createIfAbsent(lease, bytes("a-insider"), 10 * MINUTE);
        ring.net.run(5_000);
        RingNode reader = ring.nodes.get(15);
        DhtAddressPool readers = new DhtAddressPool(reader.dht(), new DhtDirectory(reader.dht(), reader.address(), ring::wall));
        assertArrayEquals(bytes("z-holder"), ring.await(readers.holder(address)), "the lease still names its holder");
        ring.net.run(2 * MINUTE);
        assertArrayEquals(bytes("z-holder"), ring.await(readers.holder(address)), "and its creator keeps renewing it");
    }

    @Test
    void anotherSitesLeaseCannotBeReleased() {
        SignedRing ring = SignedRing.formed(20, 83, SIGNED);
        RingNode server = ring.nodes.get(5);
        DhtKey lease = DhtKey.of("lease4:10.77.0.10");
        assertEquals(DhtStatus.CREATED, ring.await(server.dht().createIfAbsent(lease, bytes("holder"), 10 * MINUTE)).status());
        ring.net.run(5_000);
        RingNode insider = ring.join(ring.ca, "insider", 0);
        List<RingAddress> holders = Replicas.nearest(lease.address(),
                ring.nodes.stream().filter(RingNode::isRunning).map(RingNode::address).toList(), 3);
        // A replica release in the name of a node nearer the key than every holder, routed to each holder.
        RingAddress forged = lease.address();
        byte[] release = DhtMessageCodec.encode(new DhtMessage.Store(List.of(new DhtMessage.Entry(lease, List.of(),
                List.of(forged)))));
        Link first = insider.links().get(0);
        RingNode neighbour = ring.net.nodeAt(first.address());
        long id = 1;
        for (RingAddress h : holders) {
            ring.net.transmit(FakeRingNetwork.path(insider), FakeRingNetwork.path(neighbour), new RingMessage.Routed(
                    forged, h, RoutingMode.EXACT, 64, 0, false, id++, PayloadTypes.DHT, release));
        }
        ring.net.run(500);
        for (RingAddress h : holders) {
            assertFalse(ring.net.nodeAt(h).dht().localValues(lease).isEmpty(), "holder " + h.shortString() + " let go");
        }
        // And a release of the lease in the insider's own name.
        insider.dht().release(lease, bytes("released"), 10 * MINUTE);
        ring.net.run(500);
        DhtResult got = ring.await(ring.nodes.get(11).dht().getConfirmed(lease));
        assertEquals(DhtStatus.OK, got.status());
        assertEquals(1, got.values().size());
        assertArrayEquals(bytes("holder"), got.first());
    }

    @Test
    void aValueSignedByOneMemberInTheNameOfAnotherIsRefused() {
        SignedRing ring = SignedRing.formed(20, 84, SIGNED);
        RingNode victim = ring.nodes.get(6);
        RingNode insider = ring.join(ring.ca, "insider", 0);
        DhtKey group = DhtKey.of("mcast4:239.1.1.1");
        byte[] claim = victim.address().toBytes();
        byte[] forged = claim;
        if (SIGNED) {
            // The victim's certificate and ring address, the insider's signature.
            byte[] own = ring.recordsOf(insider, 0).seal(group, claim, 10 * MINUTE, false);
            DhtRecord mine;
            DhtRecord theirs;
            try {
                mine = DhtRecord.parse(own);
                theirs = DhtRecord.parse(ring.recordsOf(victim, 0).seal(group, claim, 10 * MINUTE, false));
            } catch (io.ringswitch.overlay.ring.message.RingMessageCodec.MalformedException e) {
                throw new AssertionError(e);
            }
            byte[] body = DhtRecord.unsignedEnvelope(victim.address(), true, false, ring.wall(), 10 * MINUTE,
                    theirs.certificate(), claim);
            forged = java.util.Arrays.copyOf(body, body.length + DhtRecord.SIGNATURE);
            System.arraycopy(mine.signature(), 0, forged, body.length, DhtRecord.SIGNATURE);
        }
        insider.send(group.address(), RoutingMode.NEAREST, PayloadTypes.DHT,
                DhtMessageCodec.encode(new DhtMessage.Request(5, DhtMessage.Op.PUT, group, forged, 10 * MINUTE)), true);
        ring.net.run(3_000);
        DhtResult got = ring.await(ring.nodes.get(13).dht().get(group));
        assertEquals(DhtStatus.NOT_FOUND, got.status(), "the victim never published this group");
        assertTrue(ring.total(c -> c.recordBadSignature()) > 0);
    }

    @Test
    void recordsThatNameAnotherSiteThanTheirPublisherAreIgnored() throws Exception {
        SignedRing ring = SignedRing.formed(20, 86, SIGNED);
        RingNode victim = ring.nodes.get(8);
        RingNode honest = ring.nodes.get(2);
        RingNode insider = ring.join(ring.ca, "insider", 0);
        InetAddress group = ip("239.1.1.9");
        new DhtMulticastDirectory(honest.dht(), honest.address()).join(group);
        // The insider points a group and a free address at the victim's site, under its own signature.
        new DhtMulticastDirectory(insider.dht(), victim.address()).join(group);
        new DhtDirectory(insider.dht(), victim.address(), ring::wall).publish(ip("10.77.9.9"), MAC + 1);
        ring.net.run(3_000);
        RingNode reader = ring.nodes.get(14);
        DhtMulticastDirectory members = new DhtMulticastDirectory(reader.dht(), reader.address());
        assertEquals(List.of(honest.address()), ring.await(members.lookup(group)).sites(),
                "only the site that signed its own member record");
        assertEquals(null, ring.await(new DhtDirectory(reader.dht(), reader.address(), ring::wall).lookup(ip("10.77.9.9"))),
                "no traffic for a free address is drawn to the victim");
    }

    @Test
    void aNodeOfAnotherCaCannotPublish() {
        SignedRing ring = SignedRing.formed(20, 85, SIGNED);
        GroupCa other = GroupCa.create("lab", Instant.ofEpochMilli(ring.base), Duration.ofDays(30));
        RingNode stranger = ring.join(other, "stranger", 0);
        DhtKey gateways = DhtKey.of("gateway:lab");
        DhtResult put = ring.await(stranger.dht().put(gateways, bytes("stranger-gw"), 10 * MINUTE));
        assertNotNull(put);
        ring.net.run(3_000);
        DhtResult got = ring.await(ring.nodes.get(2).dht().get(gateways));
        assertEquals(DhtStatus.NOT_FOUND, got.status(), "no member sees the stranger's value");
        assertTrue(ring.total(c -> c.recordNotMember()) > 0);
    }
}
