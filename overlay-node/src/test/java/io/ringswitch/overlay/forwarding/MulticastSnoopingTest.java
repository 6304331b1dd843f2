package io.ringswitch.overlay.forwarding;

import static io.ringswitch.overlay.forwarding.MembershipFrames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.offload.VirtioNetHeader;
import io.ringswitch.overlay.ring.RingAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MulticastSnoopingTest {
    private static final RingAddress SELF = RingAddress.ofName("site1");
    private static final RingAddress SITE_B = RingAddress.ofName("site2");
    private static final RingAddress SITE_C = RingAddress.ofName("site3");
    private static final long INTERVAL = 20_000;

    private long now = 1_000;
    private RingAddress linked = SITE_B;
    private final List<String> ring = new ArrayList<>();
    private final List<ByteBuf> toPort = new ArrayList<>();
    private final List<ByteBuf> sent = new ArrayList<>();
    private final List<String> directoryCalls = new ArrayList<>();
    private final Map<InetAddress, CompletableFuture<MulticastDirectory.Members>> answers = new HashMap<>();
    private int lookups;

    private final MulticastDirectory directory = new MulticastDirectory() {
        @Override
        public void join(InetAddress group) {
            directoryCalls.add("join " + DhtMulticastDirectory.text(group));
        }

        @Override
        public void leave(InetAddress group) {
            directoryCalls.add("leave " + DhtMulticastDirectory.text(group));
        }

        @Override
        public CompletableFuture<Members> lookup(InetAddress group) {
            lookups++;
            return answers.computeIfAbsent(group, g -> new CompletableFuture<>());
        }
    };

    private final FrameForwarder.Ring fakeRing = new FrameForwarder.Ring() {
        @Override
        public boolean sendDirect(RingAddress site, ByteBuf frame) {
            if (!site.equals(linked)) {
                return false;
            }
            ring.add("direct to " + site.shortString());
            sent.add(frame);
            return true;
        }

        @Override
        public boolean sendSegments(RingAddress site, ByteBuf superFrame, VirtioNetHeader vnet) {
            return false;
        }

        @Override
        public void unicast(RingAddress site, byte[] frame) {
            ring.add("to " + site.shortString());
        }

        @Override
        public void broadcast(byte[] frame) {
            ring.add("all");
        }
    };

    private final FrameForwarder forwarder = new FrameForwarder(frame -> {
        toPort.add(frame.copy());
        return true;
    }, UnpooledByteBufAllocator.DEFAULT, () -> now, 1360);
    private final MulticastSnooping snooping = new MulticastSnooping(UnpooledByteBufAllocator.DEFAULT, () -> now,
            MulticastSnooping.macOf(SELF), SELF, directory, new MulticastSnooping.Settings(true, INTERVAL), () -> fakeRing);

    {
        forwarder.attach(fakeRing);
        forwarder.attach(snooping);
    }

    private NodeStatus.MulticastStats stats() {
        return snooping.stats();
    }

    private void advance(long millis) {
        for (long t = 0; t < millis; t += 500) {
            now += 500;
            snooping.tick();
        }
    }

    @Test
    void reportsNeverCrossTheRingAndTheFirstAndLastMemberAreTold() {
        forwarder.fromPort(MembershipFrames.igmpV2(0x16, "10.77.1.1", "239.1.2.3"));
        forwarder.fromPort(MembershipFrames.igmpV3("10.77.1.2", new int[] {2}, new String[] {"239.1.2.3"}, new int[] {0}));
        forwarder.fromPort(MembershipFrames.mldV2("fe80::2", new int[] {4}, new String[] {"ff15::1"}, new int[] {0}));
        assertEquals(List.of(), ring);
        assertEquals(List.of("join 239.1.2.3", "join ff15::1"), directoryCalls);
        assertEquals(2, stats().localGroups());
        assertEquals(3, stats().reports());
        advance(2 * INTERVAL + Querier.RESPONSE_MILLIS - 1000);
        assertEquals(2, stats().localGroups(), "members stay for the membership interval");
        advance(1500);
        assertEquals(0, stats().localGroups());
        assertEquals(List.of("join 239.1.2.3", "join ff15::1", "leave 239.1.2.3", "leave ff15::1"), directoryCalls);
    }

    @Test
    void aLeaveBringsGroupSpecificQueriesAndTheGroupGoesWhenNobodyAnswers() {
        snooping.tick();
        toPort.clear();
        forwarder.fromPort(MembershipFrames.igmpV2(0x16, "10.77.1.1", "239.1.2.3"));
        forwarder.fromPort(MembershipFrames.igmpV2(0x17, "10.77.1.1", "239.1.2.3"));
        assertEquals(1, toPort.size(), "a group-specific query at once");
        assertEquals(ip("239.1.2.3"), MulticastSnooping.ipGroup(toPort.get(0)));
        advance(1000);
        assertEquals(2, toPort.size(), "and a second one a last member query interval later");
        assertEquals(1, stats().localGroups());
        advance(1000);
        assertEquals(0, stats().localGroups(), "gone after last member query count times interval");
        assertEquals(List.of("join 239.1.2.3", "leave 239.1.2.3"), directoryCalls);
        assertEquals(1, stats().leaves());
    }

    @Test
    void aMemberThatAnswersTheGroupSpecificQueryKeepsTheGroup() {
        snooping.tick();
        forwarder.fromPort(MembershipFrames.mldV1(131, "fe80::1", "ff15::1"));
        forwarder.fromPort(MembershipFrames.mldV1(131, "fe80::2", "ff15::1"));
        forwarder.fromPort(MembershipFrames.mldV1(132, "fe80::1", "ff15::1"));
        advance(500);
        forwarder.fromPort(MembershipFrames.mldV1(131, "fe80::2", "ff15::1"));
        advance(10_000);
        assertEquals(1, stats().localGroups());
        assertEquals(List.of("join ff15::1"), directoryCalls);
        // v3 TO_IN({}) leaves too.
        forwarder.fromPort(MembershipFrames.mldV2("fe80::2", new int[] {3}, new String[] {"ff15::1"}, new int[] {0}));
        advance(2500);
        assertEquals(0, stats().localGroups());
    }

    @Test
    void theQuerierSendsGeneralQueriesAndStandsDownForALowerAddress() {
        snooping.tick();
        assertEquals(2, toPort.size(), "an IGMP and an MLD general query at startup");
        assertEquals(ip("224.0.0.1"), MulticastSnooping.ipGroup(toPort.get(0)));
        assertEquals(ip("ff02::1"), MulticastSnooping.ipGroup(toPort.get(1)));
        assertTrue(stats().querier() && stats().querier6());
        ByteBuf routerQuery = MembershipFrames.igmp("10.77.1.254", "224.0.0.1",
                new byte[] {0x11, 100, 0, 0, 0, 0, 0, 0});
        forwarder.fromPort(routerQuery);
        assertEquals(List.of(), ring, "queries stay local");
        assertFalse(stats().querier());
        advance(INTERVAL);
        long igmpQueries = toPort.stream().filter(f -> f.getUnsignedShort(12) == 0x0800).count();
        assertEquals(1, igmpQueries, "no IGMP query while the router is heard");
        assertEquals(1, stats().queriesHeard());
    }

    @Test
    void groupFramesGoOnlyToMemberSitesOnceTheLookupAnswersAndNothingIsLost() {
        for (int i = 0; i < 3; i++) {
            forwarder.fromPort(MembershipFrames.udp4("239.1.2.3"));
        }
        assertEquals(List.of(), ring, "held while the first lookup is under way");
        assertEquals(3, stats().held());
        answers.get(ip("239.1.2.3")).complete(new MulticastDirectory.Members(List.of(SELF, SITE_B, SITE_C), false));
        assertEquals(6, ring.size(), "each held frame to each of the two other sites");
        assertEquals(3, ring.stream().filter(s -> s.equals("direct to " + SITE_B.shortString())).count());
        assertEquals(3, ring.stream().filter(s -> s.equals("to " + SITE_C.shortString())).count());
        forwarder.fromPort(MembershipFrames.udp4("239.1.2.3"));
        assertEquals(8, ring.size());
        assertEquals(4, stats().framesToMembers());
        assertEquals(8, stats().copiesSent());
        assertEquals(1, lookups, "the answer is kept");
        now += MulticastForwarder.REFRESH_MILLIS;
        answers.clear();
        forwarder.fromPort(MembershipFrames.udp4("239.1.2.3"));
        assertEquals(2, lookups, "and asked again after a while");
        assertEquals(10, ring.size(), "the old answer serves meanwhile");
        for (ByteBuf b : sent) {
            assertEquals(MembershipFrames.udp4("239.1.2.3"), b, "every copy whole");
        }
    }

    @Test
    void noMemberElsewhereMeansNothingCrossesTheRing() {
        answers.put(ip("239.9.9.9"), CompletableFuture.completedFuture(new MulticastDirectory.Members(List.of(SELF), false)));
        answers.put(ip("ff15::9"), CompletableFuture.completedFuture(new MulticastDirectory.Members(List.of(), false)));
        forwarder.fromPort(MembershipFrames.udp4("239.9.9.9"));
        forwarder.fromPort(MembershipFrames.udp6("ff15::9"));
        assertEquals(List.of(), ring);
        assertEquals(2, stats().droppedNoMembers());
    }

    @Test
    void aFullKeyOrNoAnswerGoesToEverySite() {
        answers.put(ip("239.9.9.9"), CompletableFuture.completedFuture(MulticastDirectory.Members.EVERY_SITE));
        answers.put(ip("239.9.9.8"), CompletableFuture.failedFuture(new IllegalStateException("timeout")));
        forwarder.fromPort(MembershipFrames.udp4("239.9.9.9"));
        forwarder.fromPort(MembershipFrames.udp4("239.9.9.8"));
        assertEquals(List.of("all", "all"), ring);
    }

    @Test
    void linkLocalGroupsAndNonIpGroupMacsAlwaysGoToEverySite() {
        forwarder.fromPort(MembershipFrames.udp4("224.0.0.251"));
        forwarder.fromPort(MembershipFrames.udp6("ff02::fb"));
        forwarder.fromPort(MembershipFrames.udp6("ff02::1:ff00:1"));
        ByteBuf lldpLike = io.netty.buffer.Unpooled.buffer().writeBytes(new byte[] {1, (byte) 0x80, (byte) 0xc2, 0, 0, 0x0e})
                .writeBytes(MembershipFrames.HOST_MAC).writeShort(0x88cc).writeZero(46);
        forwarder.fromPort(lldpLike);
        assertEquals(List.of("all", "all", "all", "all"), ring);
        assertEquals(0, lookups);
    }

    @Test
    void fromTheRingQueriesAreKeptOutAndGroupFramesCounted() {
        ByteBuf query = IgmpCodec.query(UnpooledByteBufAllocator.DEFAULT, MulticastSnooping.macOf(SITE_B), null, 100, 125);
        forwarder.broadcastDelivered(SITE_B, MembershipFrames.bytes(query));
        assertEquals(List.of(), toPort, "another site's query does not reach this LAN");
        forwarder.fromSite(SITE_B, MembershipFrames.udp4("239.1.2.3"));
        forwarder.broadcastDelivered(SITE_C, MembershipFrames.bytes(MembershipFrames.udp6("ff02::fb")));
        assertEquals(2, toPort.size());
        assertEquals(1, stats().fromRing(), "only the group that is not link-local counts");
        assertEquals(1, stats().membershipFromRing());
    }

    @Test
    void dhtKeysNameGroupsInTheirOneTextForm() {
        assertEquals("mcast4:239.1.2.3", DhtMulticastDirectory.key(ip("239.1.2.3")).toString());
        assertEquals("ff15::1", DhtMulticastDirectory.text(ip("ff15:0:0:0:0:0:0:1")));
        assertEquals("ff02::1:ff00:1", DhtMulticastDirectory.text(ip("ff02::1:ff00:1")));
        assertEquals("ff15:0:1::1", DhtMulticastDirectory.text(ip("ff15:0:1:0:0:0:0:1")), "the longest run of zeros");
        assertEquals("ff15::1:0:0:1", DhtMulticastDirectory.text(ip("ff15:0:0:0:1:0:0:1")));
        assertEquals("ff15::1:0:0:1:1", DhtMulticastDirectory.text(ip("ff15:0:0:1:0:0:1:1")), "the first of equal runs");
    }

    @Test
    void malformedReportsAreDroppedAndCounted() {
        ByteBuf bad = MembershipFrames.igmpV2(0x16, "10.77.1.1", "239.1.2.3");
        bad.setByte(bad.writerIndex() - 1, 9);
        forwarder.fromPort(bad);
        assertEquals(List.of(), ring);
        assertEquals(1, stats().malformed());
        assertEquals(0, stats().localGroups());
    }
}
