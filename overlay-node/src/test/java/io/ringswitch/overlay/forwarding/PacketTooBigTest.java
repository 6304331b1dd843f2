package io.ringswitch.overlay.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.ringswitch.overlay.offload.Checksums;
import io.ringswitch.overlay.offload.VirtioNetHeader;
import io.ringswitch.overlay.ring.RingAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packets too big for the overlay are answered as a router would, so that path MTU discovery works. */
class PacketTooBigTest {
    private static final int MTU = 1360;
    private static final byte[] MAC_H = {2, 0, 0, 0, 0, 1};
    private static final byte[] MAC_R = {2, 0, 0, 0, 0, 2};
    private final List<ByteBuf> toPort = new ArrayList<>();
    private final List<byte[]> sent = new ArrayList<>();
    private final FrameForwarder forwarder = new FrameForwarder(frame -> toPort.add(frame.copy()),
            PooledByteBufAllocator.DEFAULT, () -> 0, MTU);

    {
        forwarder.attach(new FrameForwarder.Ring() {
            @Override
            public boolean sendDirect(RingAddress site, ByteBuf frame) {
                frame.release();
                return true;
            }

            @Override
            public boolean sendSegments(RingAddress site, ByteBuf superFrame, VirtioNetHeader vnet) {
                superFrame.release();
                return true;
            }

            @Override
            public void unicast(RingAddress site, byte[] frame) {
                sent.add(frame);
            }

            @Override
            public void broadcast(byte[] frame) {
                sent.add(frame);
            }
        });
    }

    /** An Ethernet frame carrying an IPv4 TCP packet of {@code ipLength} bytes, 10.0.0.1 -> 10.0.0.2. */
    private static ByteBuf ipv4(int ipLength, boolean dontFragment, boolean vlan, int proto) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(MAC_R).writeBytes(MAC_H);
        if (vlan) {
            b.writeShort(0x8100).writeShort(42);
        }
        b.writeShort(0x0800);
        int ip = b.writerIndex();
        b.writeByte(0x45).writeByte(0).writeShort(ipLength).writeShort(7).writeShort(dontFragment ? 0x4000 : 0)
                .writeByte(64).writeByte(proto).writeShort(0).writeInt(0x0a000001).writeInt(0x0a000002);
        Checksums.ipv4Header(b, ip, 20);
        for (int i = 20; i < ipLength; i++) {
            b.writeByte(proto == 1 && i == 20 ? 3 : i);
        }
        return b;
    }

    private static ByteBuf ipv6(int ipLength) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(MAC_R).writeBytes(MAC_H).writeShort(0x86dd);
        b.writeInt(0x60000000).writeShort(ipLength - 40).writeByte(6).writeByte(64);
        b.writeLong(0xfd00000000000000L).writeLong(1).writeLong(0xfd00000000000000L).writeLong(2);
        b.writeZero(ipLength - 40);
        return b;
    }

    @Test
    void anIpv4PacketWithDontFragmentTooBigIsAnsweredWithFragmentationNeeded() {
        ByteBuf frame = ipv4(1500, true, false, 6);
        forwarder.fromPort(frame.retain());
        assertEquals(1, toPort.size());
        assertTrue(sent.isEmpty(), "nothing too big enters the ring");
        ByteBuf r = toPort.get(0);
        assertEquals(Unpooled.wrappedBuffer(MAC_H), r.slice(0, 6), "back to the sender");
        assertEquals(Unpooled.wrappedBuffer(MAC_R), r.slice(6, 6));
        assertEquals(0x0800, r.getUnsignedShort(12));
        int ip = 14;
        assertEquals(0, Checksums.finish(Checksums.add(0, r, ip, 20)), "a valid IPv4 header checksum");
        assertEquals(1, r.getUnsignedByte(ip + 9), "ICMP");
        assertEquals(0x0a000002, r.getInt(ip + 12), "from the packet's destination");
        assertEquals(0x0a000001, r.getInt(ip + 16), "to its source");
        int icmp = ip + 20;
        assertEquals(3, r.getUnsignedByte(icmp));
        assertEquals(4, r.getUnsignedByte(icmp + 1), "fragmentation needed");
        assertEquals(MTU, r.getUnsignedShort(icmp + 6), "the overlay's MTU");
        assertEquals(0, Checksums.finish(Checksums.add(0, r, icmp, r.writerIndex() - icmp)), "a valid ICMP checksum");
        assertEquals(frame.slice(14, 28), r.slice(icmp + 8, 28), "quotes the packet's headers");
        assertEquals(r.getUnsignedShort(ip + 2), r.writerIndex() - ip);
        assertEquals(1, forwarder.stats().tooBigAnswered());
        frame.release();
    }

    @Test
    void withoutDontFragmentOrForAnIcmpErrorNothingIsAnsweredAndThePacketIsDropped() {
        forwarder.fromPort(ipv4(1500, false, false, 6));
        forwarder.fromPort(ipv4(1500, true, false, 1));
        assertTrue(toPort.isEmpty());
        assertTrue(sent.isEmpty());
        assertEquals(2, forwarder.stats().tooBigDropped());
    }

    @Test
    void aPacketThatFitsIsNotTouched() {
        forwarder.fromPort(ipv4(MTU, true, false, 6));
        assertTrue(toPort.isEmpty());
        assertEquals(1, sent.size());
    }

    @Test
    void aVlanTaggedPacketIsAnsweredInItsVlan() {
        forwarder.fromPort(ipv4(1500, true, true, 6));
        ByteBuf r = toPort.get(0);
        assertEquals(0x8100, r.getUnsignedShort(12));
        assertEquals(42, r.getUnsignedShort(14));
        assertEquals(0x0800, r.getUnsignedShort(16));
        assertEquals(4, r.getUnsignedByte(18 + 20 + 1));
    }

    @Test
    void anIpv6PacketTooBigIsAnsweredWithPacketTooBig() {
        forwarder.fromPort(ipv6(1500));
        ByteBuf r = toPort.get(0);
        int ip = 14;
        assertEquals(58, r.getUnsignedByte(ip + 6), "ICMPv6");
        assertEquals(2L, r.getLong(ip + 16), "from the packet's destination");
        assertEquals(1L, r.getLong(ip + 32), "to its source");
        int icmp = ip + 40;
        assertEquals(2, r.getUnsignedByte(icmp), "packet too big");
        assertEquals(MTU, r.getInt(icmp + 4));
        assertTrue(r.writerIndex() - ip <= 1280, "an ICMPv6 error fits the minimum MTU");
        long sum = Checksums.pseudoHeader(r, ip, true, 58, r.writerIndex() - icmp);
        assertEquals(0, Checksums.finish(Checksums.add(sum, r, icmp, r.writerIndex() - icmp)), "a valid ICMPv6 checksum");
    }

    @Test
    void aSuperFrameCutForALargerMtuIsCutForTheOverlayInstead() {
        ByteBuf superFrame = ipv4(20_000, true, false, 6);
        superFrame.setByte(14 + 20 + 12, 0x50);  // a TCP header of 20 bytes
        forwarder.fromPortSuperFrame(superFrame, new VirtioNetHeader(0, VirtioNetHeader.GSO_TCPV4, 54, 1448, 0, 0));
        assertTrue(toPort.isEmpty(), "no ICMP: TCP may be cut anywhere");
        assertTrue(sent.size() > 14, "cut into segments: " + sent.size());
        for (byte[] segment : sent) {
            assertTrue(segment.length - 14 <= MTU, "a segment of " + (segment.length - 14) + " bytes fits the overlay");
        }
        assertEquals(1, forwarder.stats().superFramesRecut());
    }
}
