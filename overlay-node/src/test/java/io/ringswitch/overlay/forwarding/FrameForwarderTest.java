package io.ringswitch.overlay.forwarding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.offload.VirtioNetHeader;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.underlay.WireFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.MacAddress;

class FrameForwarderTest {
    private static final RingAddress SITE_B = RingAddress.ofName("site-b");
    private static final RingAddress SITE_C = RingAddress.ofName("site-c");
    private static final byte[] MAC_A = {2, 0, 0, 0, 0, 0x0a};
    private static final byte[] MAC_B = {2, 0, 0, 0, 0, 0x0b};
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private final List<String> ring = new ArrayList<>();
    private final List<byte[]> toPort = new ArrayList<>();
    private long now = 1000;
    private RingAddress linked;
    private final List<ByteBuf> sentDirect = new ArrayList<>();
    private final FrameForwarder forwarder = new FrameForwarder(frame -> {
        byte[] copy = new byte[frame.readableBytes()];
        frame.getBytes(frame.readerIndex(), copy);
        toPort.add(copy);
        return true;
    }, PooledByteBufAllocator.DEFAULT, () -> now, 1360);

    {
        forwarder.attach(new FrameForwarder.Ring() {
            @Override
            public boolean sendDirect(RingAddress site, ByteBuf frame) {
                if (!site.equals(linked)) {
                    return false;
                }
                ring.add("direct to " + site.shortString());
                sentDirect.add(frame);
                return true;
            }

            @Override
            public boolean sendSegments(RingAddress site, ByteBuf superFrame, VirtioNetHeader vnet) {
                if (!site.equals(linked)) {
                    return false;
                }
                ring.add("segments to " + site.shortString());
                superFrame.release();
                return true;
            }

            @Override
            public void unicast(RingAddress site, byte[] frame) {
                ring.add("to " + site.shortString());
            }

            @Override
            public void broadcast(byte[] frame) {
                ring.add("all");
            }
        });
    }

    private static byte[] frame(byte[] dst, byte[] src) {
        byte[] f = new byte[60];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = 0x08;
        return f;
    }

    private static RingMessage.Routed routed(RingAddress from, byte[] frame) {
        return new RingMessage.Routed(from, RingAddress.ofName("here"), RoutingMode.EXACT, 60, 1, false, 1,
                PayloadTypes.FRAME, frame);
    }

    private static ByteBuf fromTap(byte[] dst, byte[] src) {
        return Unpooled.directBuffer(64).writeBytes(frame(dst, src));
    }

    @Test
    void unknownDestinationsAreBroadcastOverTheRing() {
        ByteBuf buf = fromTap(MAC_B, MAC_A);
        forwarder.fromPort(buf);
        assertEquals(List.of("all"), ring);
        assertEquals(0, buf.refCnt(), "the frame buffer is released");
    }

    @Test
    void anUnknownDestinationIsLookedUpInTheDirectoryAndTheNextFramesGoOnlyToItsSite() {
        List<Long> asked = new ArrayList<>();
        java.util.concurrent.CompletableFuture<RingAddress> answer = new java.util.concurrent.CompletableFuture<>();
        forwarder.attach((FrameForwarder.MacDirectory) mac -> {
            asked.add(mac);
            return answer;
        });
        forwarder.fromPort(fromTap(MAC_B, MAC_A));
        forwarder.fromPort(fromTap(MAC_B, MAC_A));
        assertEquals(List.of("all", "all"), ring, "flooded while the directory is asked");
        assertEquals(List.of(0x02_00_00_00_00_0bL), asked, "asked once");
        forwarder.fromPort(fromTap(BROADCAST, MAC_A));
        assertEquals(1, asked.size(), "group destinations are not looked up");
        answer.complete(SITE_C);
        ring.clear();
        forwarder.fromPort(fromTap(MAC_B, MAC_A));
        assertEquals(List.of("to " + SITE_C.shortString()), ring);
    }

    @Test
    void malformedArpIsDroppedAndCountedFromThePortAndFromTheRing() {
        byte[] bad = frame(BROADCAST, MAC_A);
        bad[12] = 0x08;
        bad[13] = 0x06;
        bad[14 + 4] = 16; // hardware address length 16: not Ethernet
        forwarder.fromPort(Unpooled.directBuffer(64).writeBytes(bad));
        assertTrue(ring.isEmpty(), "not sent to the ring: " + ring);
        forwarder.broadcastDelivered(SITE_C, bad);
        assertTrue(toPort.isEmpty(), "not delivered to the port");
        assertEquals(2, forwarder.stats().arpMalformed());
    }

    @Test
    void aMacLearnedFromASiteIsRoutedOnlyThere() {
        byte[] in = frame(MAC_A, MAC_B);
        forwarder.delivered(routed(SITE_C, in));
        assertEquals(1, toPort.size());
        assertArrayEquals(in, toPort.get(0));
        forwarder.fromPort(fromTap(MAC_B, MAC_A));
        assertEquals(List.of("to " + SITE_C.shortString()), ring);
    }

    @Test
    void broadcastDestinationsAreNeverLookedUp() {
        forwarder.broadcastDelivered(SITE_B, frame(BROADCAST, MAC_B));
        forwarder.fromPort(fromTap(BROADCAST, MAC_A));
        assertEquals(List.of("all"), ring);
        assertEquals(1, forwarder.remoteMacs(), "the broadcast's source was learned");
    }

    @Test
    void learnedMacsAgeOut() {
        forwarder.delivered(routed(SITE_C, frame(MAC_A, MAC_B)));
        now += RemoteMacs.MAC_AGING_MILLIS + 1;
        forwarder.expire();
        assertEquals(0, forwarder.remoteMacs());
        forwarder.fromPort(fromTap(MAC_B, MAC_A));
        assertEquals(List.of("all"), ring);
    }

    @Test
    void theControllerHearsOfEveryRemoteMacLearnedAndForgottenOnce() {
        List<String> events = new ArrayList<>();
        forwarder.attach(new SiteDirectory.Listener() {
            @Override
            public void remoteMacLearned(MacAddress mac) {
                events.add("learned " + mac);
            }

            @Override
            public void remoteMacForgotten(MacAddress mac) {
                events.add("forgot " + mac);
            }
        });
        forwarder.delivered(routed(SITE_C, frame(MAC_A, MAC_B)));
        forwarder.delivered(routed(SITE_C, frame(MAC_A, MAC_B)));
        assertEquals(List.of("learned " + MacAddress.of(MAC_B)), events, "once per MAC, not per frame");
        now += RemoteMacs.MAC_AGING_MILLIS + 1;
        forwarder.expire();
        assertEquals(List.of("learned " + MacAddress.of(MAC_B), "forgot " + MacAddress.of(MAC_B)), events,
                "one MAC table for the site: the bridge's remote flows age with it");
    }

    @Test
    void aRevokedSitesMacsAreForgottenAtOnceSoTheControllerRemovesTheirFlows() {
        List<String> events = new ArrayList<>();
        forwarder.attach(new SiteDirectory.Listener() {
            @Override
            public void remoteMacLearned(MacAddress mac) {
            }

            @Override
            public void remoteMacForgotten(MacAddress mac) {
                events.add("forgot " + mac);
            }
        });
        forwarder.delivered(routed(SITE_C, frame(MAC_A, MAC_B)));
        forwarder.delivered(routed(SITE_B, frame(MAC_B, MAC_A)));
        assertEquals(1, forwarder.forgetSite(SITE_C));
        assertEquals(List.of("forgot " + MacAddress.of(MAC_B)), events, "the revoked site's MAC only, without waiting to age");
        assertEquals(1, forwarder.remoteMacs());
    }

    @Test
    void arpRequestsThatReachTheNodeAreCounted() {
        byte[] request = frame(BROADCAST, MAC_A);
        request[12] = 0x08;
        request[13] = 0x06;
        byte[] arp = {0, 1, 8, 0, 6, 4, 0, 1};
        System.arraycopy(arp, 0, request, 14, arp.length);
        forwarder.fromPort(Unpooled.directBuffer(64).writeBytes(request));
        request[21] = 2;
        forwarder.fromPort(Unpooled.directBuffer(64).writeBytes(request));
        assertEquals(1, forwarder.stats().arpRequestsFromPort(), "requests only, not replies");
    }

    @Test
    void runtsAndGroupSourcesAreCountedNotDelivered() {
        forwarder.delivered(routed(SITE_B, new byte[13]));
        forwarder.delivered(routed(SITE_B, frame(MAC_A, BROADCAST)));
        forwarder.fromPort(Unpooled.directBuffer(8).writeZero(8));
        assertTrue(toPort.isEmpty());
        assertTrue(ring.isEmpty());
        assertEquals(2L, forwarder.stats().runts());
        assertEquals(1L, forwarder.stats().groupSourceDropped());
        assertEquals(0, forwarder.remoteMacs());
    }

    @Test
    void aFrameForALinkedSiteLeavesInTheBufferItWasReadIn() {
        forwarder.delivered(routed(SITE_C, frame(MAC_A, MAC_B)));
        linked = SITE_C;
        ByteBuf read = fromTap(MAC_B, MAC_A);
        forwarder.fromPort(read);
        assertEquals(List.of("direct to " + SITE_C.shortString()), ring);
        assertEquals(1, sentDirect.size());
        assertTrue(sentDirect.get(0) == read, "the same buffer, not a copy");
        assertEquals(1, read.refCnt(), "ownership passed with the frame");
        read.release();
        assertEquals(1L, forwarder.stats().direct());
    }

    @Test
    void aFrameFromALinkedSiteGoesToThePortAndTeachesItsSource() {
        ByteBuf in = Unpooled.directBuffer(64).writeBytes(frame(MAC_A, MAC_B));
        forwarder.fromSite(SITE_B, in);
        assertEquals(0, in.refCnt(), "released after the port write");
        assertEquals(1, toPort.size());
        forwarder.fromPort(fromTap(MAC_B, MAC_A));
        assertEquals(List.of("to " + SITE_B.shortString()), ring, "learned behind site B");
        ByteBuf groupSource = Unpooled.directBuffer(64).writeBytes(frame(MAC_A, BROADCAST));
        forwarder.fromSite(SITE_B, groupSource);
        ByteBuf runt = Unpooled.directBuffer(8).writeZero(8);
        forwarder.fromSite(SITE_B, runt);
        assertEquals(0, groupSource.refCnt() + runt.refCnt());
        assertEquals(1, toPort.size());
        assertEquals(1L, forwarder.stats().groupSourceDropped());
        assertEquals(1L, forwarder.stats().runts());
    }

    /** A TCP/IPv4 super-frame of {@code payload} bytes from A to B, as a TAP with TSO hands it over. */
    private static ByteBuf superFrame(int payload) {
        ByteBuf f = Unpooled.directBuffer(WireFormat.HEADROOM + 54 + payload);
        f.setIndex(WireFormat.HEADROOM, WireFormat.HEADROOM);
        f.writeBytes(MAC_B).writeBytes(MAC_A).writeShort(0x0800);
        f.writeByte(0x45).writeByte(0).writeShort(40 + payload).writeShort(1).writeShort(0x4000).writeByte(64).writeByte(6)
                .writeShort(0).writeInt(0x0a4d0101).writeInt(0x0a4d0201);
        f.writeShort(1000).writeShort(5201).writeInt(1).writeInt(1).writeByte(5 << 4).writeByte(0x10).writeShort(100)
                .writeShort(0).writeShort(0);
        f.writeZero(payload);
        return f;
    }

    private static final VirtioNetHeader TSO = new VirtioNetHeader(VirtioNetHeader.NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4,
            54, 1000, 34, 16);

    @Test
    void aSuperFrameForALinkedSiteLeavesWhole() {
        forwarder.delivered(routed(SITE_C, frame(MAC_A, MAC_B)));
        linked = SITE_C;
        forwarder.fromPortSuperFrame(superFrame(4500), TSO);
        assertEquals(List.of("segments to " + SITE_C.shortString()), ring);
        assertEquals(1L, forwarder.stats().superFrames());
    }

    @Test
    void aSuperFrameForASiteFurtherAwayIsCutAndEachSegmentRouted() {
        forwarder.delivered(routed(SITE_C, frame(MAC_A, MAC_B)));
        ByteBuf in = superFrame(4500);
        forwarder.fromPortSuperFrame(in, TSO);
        assertEquals(5, ring.size());
        assertTrue(ring.stream().allMatch(r -> r.equals("to " + SITE_C.shortString())), ring.toString());
        assertEquals(0, in.refCnt());
        assertEquals(5L, forwarder.stats().fromPort());
    }

    @Test
    void aSuperFrameThatIsNoTcpIsCountedAndDropped() {
        ByteBuf notTcp = Unpooled.directBuffer(WireFormat.HEADROOM + 200).setIndex(WireFormat.HEADROOM, WireFormat.HEADROOM);
        notTcp.writeBytes(frame(MAC_B, MAC_A)).writeZero(140);
        forwarder.fromPortSuperFrame(notTcp, TSO);
        assertEquals(1L, forwarder.stats().unsegmentable());
        assertTrue(ring.isEmpty());
        assertEquals(0, notTcp.refCnt());
    }
}
