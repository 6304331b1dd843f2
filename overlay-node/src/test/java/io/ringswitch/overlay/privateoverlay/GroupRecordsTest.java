package io.ringswitch.overlay.privateoverlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.message.RingMessageCodec.MalformedException;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.SignedDhtRecords;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code private:} records: a member of the group reads another member's endpoints; a record
 * signed under the group's key by anyone the group's CA did not certify (another group's member, a
 * member of the public ring) is ignored and counted.
 */
class GroupRecordsTest {
    static final Instant NOW = Instant.now();
    private static final List<InetSocketAddress> ENDPOINTS = List.of(new InetSocketAddress("192.0.2.7", 5800),
            new InetSocketAddress("2001:db8::7", 5800));

    private final GroupCa groupA = GroupCa.create("alpha", NOW.minusSeconds(60), Duration.ofDays(1));
    /** Another group of the same name, with its own CA. */
    private final GroupCa groupB = GroupCa.create("alpha", NOW.minusSeconds(60), Duration.ofDays(1));
    private final GroupCa publicCa = GroupCa.create("public", NOW.minusSeconds(60), Duration.ofDays(1));

    @Test
    void aMemberReadsAnotherMembersEndpointsAndAddress() throws Exception {
        NodeIdentity a1 = identity(groupA, "a1");
        GroupRecords reader = new GroupRecords(identity(groupA, "a2"), System::currentTimeMillis);
        byte[] record = new GroupRecords(a1, System::currentTimeMillis).seal(new MemberEndpoints(ENDPOINTS), 60_000);

        GroupRecords.Member member = reader.check(record);

        assertNotNull(member);
        assertEquals(a1.certificate().address(), member.address());
        assertEquals(ENDPOINTS, member.endpoints());
        assertTrue(record.length < 1024, "fits a public record's value: " + record.length + " bytes");
    }

    @Test
    void aRecordSignedByAnotherGroupsCaUnderThisGroupsKeyIsIgnored() throws Exception {
        GroupRecords reader = new GroupRecords(identity(groupA, "a2"), System::currentTimeMillis);
        // The intruder knows the key (it is no secret) and signs a record under it with its own group's certificate.
        byte[] forged = new SignedDhtRecords(identity(groupB, "b1"), System::currentTimeMillis)
                .seal(reader.key(), MemberEndpointsCodec.encode(new MemberEndpoints(ENDPOINTS)), 60_000, false);

        assertNull(reader.check(forged));
        assertEquals(1L, reader.refused().get("not-a-member"));
    }

    @Test
    void aRecordOfAPublicRingMemberOutsideTheGroupIsIgnored() throws Exception {
        GroupRecords reader = new GroupRecords(identity(groupA, "a2"), System::currentTimeMillis);
        byte[] forged = new SignedDhtRecords(identity(publicCa, "p1"), System::currentTimeMillis)
                .seal(reader.key(), MemberEndpointsCodec.encode(new MemberEndpoints(ENDPOINTS)), 60_000, false);

        assertNull(reader.check(forged));
        assertEquals(1L, reader.refused().get("not-a-member"));
    }

    @Test
    void aMembersRecordWithAnEndpointChangedInTransitIsIgnored() throws Exception {
        GroupRecords reader = new GroupRecords(identity(groupA, "a2"), System::currentTimeMillis);
        byte[] record = new GroupRecords(identity(groupA, "a1"), System::currentTimeMillis)
                .seal(new MemberEndpoints(List.of(new InetSocketAddress("192.0.2.7", 5800))), 60_000);
        byte[] redirected = record.clone();
        // The first endpoint's last address byte sits before its port, ahead of the 64-byte signature.
        redirected[redirected.length - 64 - 3] ^= 1;

        assertNull(reader.check(redirected));
        assertEquals(1L, reader.refused().get("bad-signature"));
    }

    @Test
    void aRenewedGroupCertificateSignsTheRecordsFromThenOn() throws Exception {
        NodeIdentity a1 = identity(groupA, "a1");
        GroupRecords records = new GroupRecords(a1, System::currentTimeMillis);
        java.security.cert.X509Certificate next = groupA.renew(a1.certificate().certificate(), NOW, Duration.ofDays(2));
        records.renew(new NodeIdentity(a1.key(), NodeCertificate.verify(next, groupA.certificate(), NOW), groupA.certificate()));

        byte[] record = records.seal(new MemberEndpoints(ENDPOINTS), 60_000);

        assertTrue(Arrays.equals(next.getEncoded(), io.ringswitch.overlay.ring.dht.DhtRecord.parse(record).certificate()),
                "the record carries the renewed certificate");
        GroupRecords.Member member = new GroupRecords(identity(groupA, "a2"), System::currentTimeMillis).check(record);
        assertNotNull(member);
        assertEquals(a1.certificate().address(), member.address());
    }

    /**
     * The public record around a member's record carries the member's public certificate, and
     * both must fit one DHT value: endpoints that do not fit are left out, the first ones kept,
     * and a record that cannot fit at all is not published.
     */
    @Test
    void aRecordKeepsTheEndpointsThatFitInThePublicRecordAroundIt() throws Exception {
        NodeIdentity member = identity(groupA, "a-site-with-a-name-of-28-chr");
        NodeIdentity publicMember = identity(publicCa, "a-site-with-a-name-of-28-chr");
        List<InetSocketAddress> four = List.of(new InetSocketAddress("2001:db8::1", 5800), new InetSocketAddress("2001:db8::2", 5800),
                new InetSocketAddress("2001:db8::3", 5800), new InetSocketAddress("2001:db8::4", 5800));
        int publicCert = publicMember.certificate().certificate().getEncoded().length;
        PublicDiscovery discovery = new PublicDiscovery(null, null, new GroupRecords(member, System::currentTimeMillis), null,
                1000, publicCert);

        byte[] record = discovery.fitting(four);

        assertNotNull(record);
        byte[] outer = new SignedDhtRecords(publicMember, System::currentTimeMillis)
                .seal(GroupRecords.key("alpha", groupA.certificate()), record, 60_000, false);
        assertTrue(outer.length <= io.ringswitch.overlay.ring.dht.Dht.maxEnvelopeBytes(), outer.length + " bytes");
        List<InetSocketAddress> kept = MemberEndpointsCodec.decode(io.ringswitch.overlay.ring.dht.DhtRecord.parse(record)
                .value()).endpoints();
        assertEquals(four.subList(0, kept.size()), kept);
        assertTrue(kept.size() < 4, "four IPv6 endpoints and two certificates of 28-character names do not fit: " + kept);
        assertNull(new PublicDiscovery(null, null, new GroupRecords(member, System::currentTimeMillis), null, 1000, 1000)
                .fitting(four), "a public certificate of 1000 bytes leaves no room");
    }

    @Test
    void twoGroupsOfOneNameMeetUnderTwoKeys() {
        DhtKey a = GroupRecords.key("alpha", groupA.certificate());
        DhtKey b = GroupRecords.key("alpha", groupB.certificate());
        assertNotEquals(a, b);
        assertTrue(a.toString().startsWith("private:alpha:"), a.toString());
    }

    @Test
    void endpointsRoundTripAndBadValuesAreRefused() throws Exception {
        byte[] bytes = MemberEndpointsCodec.encode(new MemberEndpoints(ENDPOINTS));
        assertEquals(ENDPOINTS, MemberEndpointsCodec.decode(bytes).endpoints());
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThrows(MalformedException.class, () -> MemberEndpointsCodec.decode(truncated), "cut at " + cut);
        }
        assertThrows(MalformedException.class, () -> MemberEndpointsCodec.decode(new byte[] {1, 100}));
        assertThrows(MalformedException.class, () -> MemberEndpointsCodec.decode(new byte[] {1, 0}));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(MalformedException.class, () -> MemberEndpointsCodec.decode(longer));
    }

    static NodeIdentity identity(GroupCa ca, String name) throws Exception {
        KeyPair key = GroupCa.newKeyPair();
        return new NodeIdentity(key.getPrivate(), NodeCertificate.verify(ca.issue(name, key.getPublic(), Optional.empty(),
                NOW.minusSeconds(30), Duration.ofDays(1)), ca.certificate(), NOW), ca.certificate());
    }
}
