package io.ringswitch.overlay.forwarding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

/**
 * Frames larger than the overlay carries that reach the node: a plain TCP segment is answered with
 * ICMP "too big", a TCP super-frame (or a segment without DF) is cut to fit, anything else is dropped
 * and counted (the switch controller answers UDP and ICMP).
 */
class OversizedFrameTest {
    private static final int MTU = 1360;
    private static final byte[] MAC_H = {2, 0, 0, 0, 0, 1};
    private static final byte[] MAC_R = {2, 0, 0, 0, 0, 2};
    private final List<ByteBuf> toPort = new ArrayList<>();
    private final List<byte[]> sent = new ArrayList<>();
    /** The overlay port; like the TAP, it writes from native memory only. */
    private final FrameForwarder forwarder = new FrameForwarder(frame -> {
        if (!frame.isDirect()) {
            throw new IllegalArgumentException("TAP I/O needs a direct buffer");
        }
        return toPort.add(frame.copy());
    }, PooledByteBufAllocator.DEFAULT, () -> 0, MTU);

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

    /** An Ethernet frame carrying an IPv4 packet of protocol {@code proto} of {@code ipLength} bytes, 10.0.0.1 -> 10.0.0.2. */
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

    /** An IPv6 UDP packet of {@code ipLength} bytes. */
    private static ByteBuf ipv6(int ipLength) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(MAC_R).writeBytes(MAC_H).writeShort(0x86dd);
        b.writeInt(0x60000000).writeShort(ipLength - 40).writeByte(17).writeByte(64);
        b.writeLong(0xfd00000000000000L).writeLong(1).writeLong(0xfd00000000000000L).writeLong(2);
        b.writeZero(ipLength - 40);
        return b;
    }

    /** A TCP segment of {@code ipLength} bytes in IPv4, with a 20-byte TCP header. */
    private static ByteBuf tcp(int ipLength, boolean dontFragment) {
        ByteBuf segment = ipv4(ipLength, dontFragment, false, 6);
        segment.setByte(14 + 20 + 12, 0x50);
        return segment;
    }

    /**
     * A plain TCP segment larger than the overlay carries (a host at MTU 1500 without TSO: no GSO
     * flag) is answered like a router would, so that the host learns the path MTU: ICMP
     * "fragmentation needed" with the overlay MTU, from the segment's destination, back out of the
     * port to its sender's MAC. Nothing enters the ring.
     */
    @Test
    void aPlainTcpSegmentTooBigIsAnsweredWithFragmentationNeededCarryingTheOverlayMtu() {
        forwarder.fromPort(tcp(1500, true));
        assertTrue(sent.isEmpty(), "nothing too big enters the ring");
        assertEquals(1, toPort.size(), "one answer out of the overlay port");
        ByteBuf reply = toPort.get(0);
        byte[] dst = new byte[6];
        reply.getBytes(0, dst);
        assertArrayEquals(MAC_H, dst, "to the sender's MAC");
        assertEquals(0x0800, reply.getUnsignedShort(12));
        assertEquals(0x0a000002, reply.getInt(14 + 12), "from the segment's destination");
        assertEquals(0x0a000001, reply.getInt(14 + 16), "to its source");
        assertEquals(1, reply.getUnsignedByte(14 + 9), "ICMP");
        assertEquals(3, reply.getUnsignedByte(14 + 20), "destination unreachable");
        assertEquals(4, reply.getUnsignedByte(14 + 21), "fragmentation needed");
        assertEquals(MTU, reply.getUnsignedShort(14 + 26), "the next-hop MTU is the overlay's");
        assertEquals(1, forwarder.stats().tcpTooBigAnswered());
        assertEquals(0, forwarder.stats().superFramesRecut());
        assertEquals(0, forwarder.stats().oversizedRefused());
    }

    /** In IPv6 the answer is ICMPv6 "packet too big" with the overlay MTU. */
    @Test
    void aPlainIpv6TcpSegmentTooBigIsAnsweredWithPacketTooBig() {
        ByteBuf segment = ipv6(1500);
        segment.setByte(14 + 6, 6);           // next header TCP
        segment.setByte(14 + 40 + 12, 0x50);  // a TCP header of 20 bytes
        forwarder.fromPort(segment);
        assertTrue(sent.isEmpty());
        assertEquals(1, toPort.size());
        ByteBuf reply = toPort.get(0);
        assertEquals(0x86dd, reply.getUnsignedShort(12));
        assertEquals(58, reply.getUnsignedByte(14 + 6), "ICMPv6");
        assertEquals(2, reply.getUnsignedByte(14 + 40), "packet too big");
        assertEquals(MTU, reply.getInt(14 + 44));
        assertEquals(1, forwarder.stats().tcpTooBigAnswered());
    }

    /** A TCP segment without DF gets no answer (a router would fragment it): it is cut to fit instead. */
    @Test
    void aTcpSegmentTooBigWithoutDfIsCutIntoSegmentsThatFit() {
        forwarder.fromPort(tcp(1500, false));
        assertTrue(toPort.isEmpty(), "no ICMP is due");
        assertEquals(2, sent.size(), "cut in two");
        int payload = 0;
        for (byte[] s : sent) {
            assertTrue(s.length - 14 <= MTU, "a segment of " + (s.length - 14) + " bytes fits the overlay");
            payload += s.length - 14 - 40;
        }
        assertEquals(1500 - 40, payload, "every byte of the stream crosses");
        assertEquals(1, forwarder.stats().superFramesRecut());
        assertEquals(0, forwarder.stats().tcpTooBigAnswered());
        assertEquals(0, forwarder.stats().oversizedRefused());
    }

    /**
     * The switch controller answers oversized UDP and ICMP it sees; one that reaches the node anyway
     * (the full tunnel's steering flows skip the switch's size check) is answered as a router would,
     * counted apart, so a host at MTU 1500 is not left with a black hole. IPv4 without DF is dropped.
     */
    @Test
    void unswitchedUdpTooBigIsAnsweredAndUdpWithoutDfDropped() {
        forwarder.fromPort(ipv4(1500, true, false, 17));
        forwarder.fromPort(ipv6(1500));
        forwarder.fromPort(ipv4(1500, false, false, 17));
        assertEquals(2, toPort.size(), "ICMP frag-needed and ICMPv6 packet-too-big back to the host");
        assertTrue(sent.isEmpty(), "nothing too big enters the ring");
        assertEquals(2, forwarder.stats().unswitchedTooBigAnswered());
        assertEquals(0, forwarder.stats().tcpTooBigAnswered());
        assertEquals(1, forwarder.stats().oversizedRefused());
    }

    @Test
    void aPacketThatFitsIsNotTouched() {
        forwarder.fromPort(ipv4(MTU, true, false, 17));
        assertTrue(toPort.isEmpty());
        assertEquals(1, sent.size());
        assertEquals(0, forwarder.stats().oversizedRefused());
    }

    @Test
    void aSuperFrameCutForALargerMtuIsCutForTheOverlayInstead() {
        ByteBuf superFrame = ipv4(20_000, true, false, 6);
        superFrame.setByte(14 + 20 + 12, 0x50);  // a TCP header of 20 bytes
        forwarder.fromPortSuperFrame(superFrame, new VirtioNetHeader(0, VirtioNetHeader.GSO_TCPV4, 54, 1448, 0, 0));
        assertTrue(toPort.isEmpty(), "no ICMP for a super-frame: TCP may be cut anywhere");
        assertTrue(sent.size() > 14, "cut into segments: " + sent.size());
        for (byte[] segment : sent) {
            assertTrue(segment.length - 14 <= MTU, "a segment of " + (segment.length - 14) + " bytes fits the overlay");
        }
        assertEquals(1, forwarder.stats().superFramesRecut());
        assertEquals(0, forwarder.stats().tcpTooBigAnswered());
    }
}
