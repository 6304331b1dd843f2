package io.ringswitch.overlay.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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

/** The ring side of multicast: IP multicast from the port goes to member sites only. */
class RingMulticastTest {
    private static final RingAddress SELF = RingAddress.ofName("site1");
    private static final RingAddress SITE_B = RingAddress.ofName("site2");
    private static final RingAddress SITE_C = RingAddress.ofName("site3");

    private long now = 1_000;
    private RingAddress linked = SITE_B;
    private final List<String> ring = new ArrayList<>();
    private final List<ByteBuf> toPort = new ArrayList<>();
    private final List<ByteBuf> sent = new ArrayList<>();
    private final Map<InetAddress, CompletableFuture<MulticastDirectory.Members>> answers = new HashMap<>();
    private int lookups;

    private final MulticastDirectory directory = new MulticastDirectory() {
        @Override
        public void join(InetAddress group) {
        }

        @Override
        public void leave(InetAddress group) {
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
    private final RingMulticast multicast = new RingMulticast(UnpooledByteBufAllocator.DEFAULT, () -> now, SELF, directory,
            () -> fakeRing);

    {
        forwarder.attach(fakeRing);
        forwarder.attach(multicast);
    }

    private NodeStatus.MulticastStats stats() {
        return multicast.stats();
    }

    private static final byte[] HOST_MAC = {2, 0x77, 0, 0, 1, 1};

    static InetAddress ip(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A UDP datagram to an IPv4 group (no checksums needed by the forwarder). */
    private static ByteBuf udp4(String group) {
        byte[] d = ip(group).getAddress();
        ByteBuf f = Unpooled.directBuffer(128);
        f.writeBytes(new byte[] {0x01, 0x00, 0x5e, (byte) (d[1] & 0x7f), d[2], d[3]}).writeBytes(HOST_MAC).writeShort(0x0800);
        f.writeByte(0x45).writeByte(0).writeShort(20 + 8 + 10).writeInt(0).writeByte(8).writeByte(17).writeShort(0);
        f.writeBytes(ip("10.77.1.1").getAddress()).writeBytes(d);
        f.writeShort(5001).writeShort(5001).writeShort(18).writeShort(0).writeZero(10);
        return f;
    }

    /** A UDP datagram to an IPv6 group. */
    private static ByteBuf udp6(String group) {
        byte[] d = ip(group).getAddress();
        ByteBuf f = Unpooled.directBuffer(128);
        f.writeBytes(new byte[] {0x33, 0x33, d[12], d[13], d[14], d[15]}).writeBytes(HOST_MAC).writeShort(0x86dd);
        f.writeInt(0x60000000).writeShort(8 + 10).writeByte(17).writeByte(8);
        f.writeBytes(ip("fe80::1").getAddress()).writeBytes(d);
        f.writeShort(5353).writeShort(5353).writeShort(18).writeShort(0).writeZero(10);
        return f;
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    @Test
    void groupFramesGoOnlyToMemberSitesOnceTheLookupAnswersAndNothingIsLost() {
        for (int i = 0; i < 3; i++) {
            forwarder.fromPort(udp4("239.1.2.3"));
        }
        assertEquals(List.of(), ring, "held while the first lookup is under way");
        assertEquals(3, stats().held());
        answers.get(ip("239.1.2.3")).complete(new MulticastDirectory.Members(List.of(SELF, SITE_B, SITE_C), false));
        assertEquals(6, ring.size(), "each held frame to each of the two other sites");
        assertEquals(3, ring.stream().filter(s -> s.equals("direct to " + SITE_B.shortString())).count());
        assertEquals(3, ring.stream().filter(s -> s.equals("to " + SITE_C.shortString())).count());
        forwarder.fromPort(udp4("239.1.2.3"));
        assertEquals(8, ring.size());
        assertEquals(4, stats().framesToMembers());
        assertEquals(8, stats().copiesSent());
        assertEquals(1, lookups, "the answer is kept");
        now += RingMulticast.REFRESH_MILLIS;
        answers.clear();
        forwarder.fromPort(udp4("239.1.2.3"));
        assertEquals(2, lookups, "and asked again after a while");
        assertEquals(10, ring.size(), "the old answer serves meanwhile");
        for (ByteBuf b : sent) {
            assertEquals(udp4("239.1.2.3"), b, "every copy whole");
        }
    }

    @Test
    void noMemberElsewhereMeansNothingCrossesTheRing() {
        answers.put(ip("239.9.9.9"), CompletableFuture.completedFuture(new MulticastDirectory.Members(List.of(SELF), false)));
        answers.put(ip("ff15::9"), CompletableFuture.completedFuture(new MulticastDirectory.Members(List.of(), false)));
        forwarder.fromPort(udp4("239.9.9.9"));
        forwarder.fromPort(udp6("ff15::9"));
        assertEquals(List.of(), ring);
        assertEquals(2, stats().droppedNoMembers());
    }

    @Test
    void aFullKeyOrNoAnswerGoesToEverySite() {
        answers.put(ip("239.9.9.9"), CompletableFuture.completedFuture(MulticastDirectory.Members.EVERY_SITE));
        answers.put(ip("239.9.9.8"), CompletableFuture.failedFuture(new IllegalStateException("timeout")));
        forwarder.fromPort(udp4("239.9.9.9"));
        forwarder.fromPort(udp4("239.9.9.8"));
        assertEquals(List.of("all", "all"), ring);
    }

    @Test
    void linkLocalGroupsAndNonIpGroupMacsAlwaysGoToEverySite() {
        forwarder.fromPort(udp4("224.0.0.251"));
        forwarder.fromPort(udp6("ff02::fb"));
        forwarder.fromPort(udp6("ff02::1:ff00:1"));
        ByteBuf lldpLike = Unpooled.buffer().writeBytes(new byte[] {1, (byte) 0x80, (byte) 0xc2, 0, 0, 0x0e})
                .writeBytes(HOST_MAC).writeShort(0x88cc).writeZero(46);
        forwarder.fromPort(lldpLike);
        assertEquals(List.of("all", "all", "all", "all"), ring);
        assertEquals(0, lookups);
    }

    @Test
    void fromTheRingGroupFramesAreCounted() {
        forwarder.fromSite(SITE_B, udp4("239.1.2.3"));
        forwarder.broadcastDelivered(SITE_C, bytes(udp6("ff02::fb")));
        assertEquals(2, toPort.size());
        assertEquals(1, stats().fromRing(), "only the group that is not link-local counts");
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

    /** A datagram to an IPv4 group padded to {@code length} bytes. */
    private static ByteBuf big(String group, int length) {
        ByteBuf f = udp4(group);
        f.writeZero(length - f.readableBytes());
        return f;
    }

    @Test
    void aStreamAt20MbitsLosesNothingWhileItsFirstLookupTakes200Ms() {
        // 20 Mbit/s in iperf's 1,470-byte datagrams under an MTU of 1,360: two frames each, ~3,600 a second.
        int frames = 720;
        for (int i = 0; i < frames; i++) {
            multicast.fromPort(big("239.1.2.3", i % 2 == 0 ? 1374 : 144));
        }
        assertEquals(0, stats().heldDropped(), "nothing dropped while the members are looked up");
        answers.get(ip("239.1.2.3")).complete(new MulticastDirectory.Members(List.of(SITE_B), false));
        assertEquals(frames, sent.size(), "every held frame goes to the member once the answer comes");
        assertEquals(0, multicast.heldNow());
    }

    @Test
    void framesHeldForGroupsWithoutAnAnswerStayWithinTheirBytes() {
        // A host sends 9 KB datagrams to 300 groups whose lookups never answer: 64 each would be 170 MB.
        int sent = 0;
        for (int g = 0; g < 300; g++) {
            for (int i = 0; i < 64; i++) {
                multicast.fromPort(big("239.9." + (g / 200) + "." + (g % 200 + 1), 9000));
                sent++;
            }
        }
        long[] held = multicast.heldBytesNow();
        assertTrue(held[0] <= RingMulticast.MAX_HELD_BYTES, held[0] + " bytes held");
        assertTrue(held[1] <= RingMulticast.MAX_GROUP_HELD_BYTES, held[1] + " bytes held for one group");
        assertEquals(sent, stats().held() + stats().heldDropped(), "every frame not held is counted");
        assertTrue(stats().heldDropped() > 0);
    }
}
