package io.ringswitch.overlay.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cutting super-frames into segments and joining segments back, checked byte by byte. */
class OffloadTest {
    private static final int GAP = 8;
    private static final int MSS = 1000;
    private static final long SEQ = 0xfffff000L;

    /** An Ethernet + IP + TCP (with a 12-byte timestamp option) frame carrying {@code payload}. */
    static ByteBuf tcpFrame(boolean ipv6, byte[] payload, long seq, int flags) {
        ByteBuf f = Unpooled.buffer();
        f.writeBytes(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1});
        f.writeShort(ipv6 ? 0x86dd : 0x0800);
        int l3 = f.writerIndex();
        int tcpLength = 32;
        if (ipv6) {
            f.writeInt(0x60000000).writeShort(tcpLength + payload.length).writeByte(6).writeByte(64);
            f.writeBytes(new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
            f.writeBytes(new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
        } else {
            f.writeByte(0x45).writeByte(0).writeShort(20 + tcpLength + payload.length).writeShort(0x1234)
                    .writeShort(0x4000).writeByte(64).writeByte(6).writeShort(0);
            f.writeBytes(new byte[] {10, 77, 1, 1, 10, 77, 2, 1});
            Checksums.ipv4Header(f, l3, 20);
        }
        f.writeShort(40000).writeShort(5201).writeInt((int) seq).writeInt(777).writeByte(8 << 4).writeByte(flags)
                .writeShort(500).writeShort(0).writeShort(0);
        f.writeBytes(new byte[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2});
        f.writeBytes(payload);
        TcpHeaders h = TcpHeaders.parse(f, 0, f.readableBytes());
        h.setTcpChecksum(f, 0, payload.length);
        return f;
    }

    static byte[] payload(int n, long seed) {
        byte[] p = new byte[n];
        new Random(seed).nextBytes(p);
        return p;
    }

    static VirtioNetHeader tso(boolean ipv6, int mss) {
        return new VirtioNetHeader(VirtioNetHeader.NEEDS_CSUM, ipv6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4,
                14 + (ipv6 ? 40 : 20) + 32, mss, 14 + (ipv6 ? 40 : 20), 16);
    }

    /** Every checksum of a frame is right: IPv4 header and TCP. */
    static void assertChecksumsValid(ByteBuf f, int at, int length) {
        TcpHeaders h = TcpHeaders.parse(f, at, length);
        if (!h.ipv6()) {
            assertEquals(0xffff, Checksums.fold(Checksums.add(0, f, at + h.l3(), h.l4() - h.l3())), "IPv4 header checksum");
        }
        int payload = length - h.payload();
        long sum = h.pseudoHeader(f, at, payload) + 0;
        sum = Checksums.add(sum, f, at + h.l4(), h.tcpHeaderLength() + payload);
        assertEquals(0xffff, Checksums.fold(sum), "TCP checksum");
    }

    /** The segments in {@code out}, as frames (gap removed). */
    static List<ByteBuf> segments(ByteBuf out, int segmentSize) {
        List<ByteBuf> list = new ArrayList<>();
        for (int i = 0; i < out.readableBytes(); i += segmentSize) {
            int len = Math.min(segmentSize, out.readableBytes() - i);
            list.add(out.slice(i + GAP, len - GAP));
        }
        return list;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aSuperFrameIsCutIntoCompleteSegments(boolean ipv6) {
        byte[] data = payload(4500, 1);
        ByteBuf superFrame = tcpFrame(ipv6, data, SEQ, TcpHeaders.ACK | TcpHeaders.PSH | TcpHeaders.CWR);
        ByteBuf out = Unpooled.buffer();
        int size = TcpSegmenter.segment(superFrame, tso(ipv6, MSS), GAP, 0, out);
        int headers = 14 + (ipv6 ? 40 : 20) + 32;
        assertEquals(GAP + headers + MSS, size);
        List<ByteBuf> segs = segments(out, size);
        assertEquals(5, segs.size());
        for (int i = 0; i < segs.size(); i++) {
            ByteBuf s = segs.get(i);
            int len = Math.min(MSS, data.length - i * MSS);
            assertEquals(headers + len, s.readableBytes());
            assertChecksumsValid(s, 0, s.readableBytes());
            TcpHeaders h = TcpHeaders.parse(s, 0, s.readableBytes());
            assertEquals((SEQ + (long) i * MSS) & 0xffffffffL, s.getUnsignedInt(h.l4() + 4), "sequence wraps correctly");
            int flags = s.getUnsignedByte(h.l4() + 13);
            assertEquals(i == segs.size() - 1, (flags & TcpHeaders.PSH) != 0, "PSH on the last only");
            assertEquals(i == 0, (flags & TcpHeaders.CWR) != 0, "CWR on the first only");
            if (!ipv6) {
                assertEquals(0x1234 + i, s.getUnsignedShort(h.l3() + 4), "IPv4 identification counts up");
                assertEquals(20 + 32 + len, s.getUnsignedShort(h.l3() + 2));
            } else {
                assertEquals(32 + len, s.getUnsignedShort(h.l3() + 4));
            }
            byte[] part = new byte[len];
            s.getBytes(h.payload(), part);
            byte[] expected = new byte[len];
            System.arraycopy(data, i * MSS, expected, 0, len);
            assertTrue(java.util.Arrays.equals(expected, part), "payload of segment " + i);
        }
    }

    @Test
    void framesThatAreNoTcpSuperFramesAreLeftAlone() {
        ByteBuf udp = Unpooled.buffer().writeZero(100);
        udp.setShort(12, 0x0800);
        udp.setByte(14, 0x45);
        udp.setByte(23, 17);
        ByteBuf out = Unpooled.buffer();
        assertEquals(-1, TcpSegmenter.segment(udp, tso(false, MSS), GAP, 0, out));
        assertEquals(-1, TcpSegmenter.segment(Unpooled.buffer().writeZero(10), tso(false, MSS), GAP, 0, out));
        assertEquals(-1, TcpSegmenter.segment(tcpFrame(false, new byte[10], 1, TcpHeaders.ACK), VirtioNetHeader.NONE, GAP, 0, out));
        assertEquals(0, out.readableBytes());
    }

    @Test
    void aPartialChecksumIsCompleted() {
        ByteBuf f = tcpFrame(false, payload(300, 2), 5, TcpHeaders.ACK);
        TcpHeaders h = TcpHeaders.parse(f, 0, f.readableBytes());
        // What the kernel hands over with NEEDS_CSUM: the pseudo-header sum where the checksum goes.
        f.setShort(h.l4() + 16, Checksums.fold(h.pseudoHeader(f, 0, 300)));
        assertTrue(TcpSegmenter.completeChecksum(f, new VirtioNetHeader(VirtioNetHeader.NEEDS_CSUM, 0, 0, 0, h.l4(), 16)));
        assertChecksumsValid(f, 0, f.readableBytes());
    }

    private final List<ByteBuf> written = new ArrayList<>();
    /** What the TAP device would receive: every write with its virtio-net header (plain frames get an empty one). */
    private final TcpCoalescer coalescer = new TcpCoalescer(PooledByteBufAllocator.DEFAULT, new TcpCoalescer.Sink() {
        @Override
        public void write(ByteBuf vnetAndFrame) {
            written.add(Unpooled.copiedBuffer(vnetAndFrame));
        }

        @Override
        public void writeFrame(ByteBuf frame) {
            ByteBuf withHeader = Unpooled.buffer(VirtioNetHeader.LENGTH + frame.readableBytes());
            VirtioNetHeader.NONE.write(withHeader, 0);
            written.add(withHeader.writerIndex(VirtioNetHeader.LENGTH).writeBytes(frame, frame.readerIndex(), frame.readableBytes()));
        }
    });

    private List<ByteBuf> cut(boolean ipv6, byte[] data, int flags) {
        ByteBuf out = Unpooled.buffer();
        int size = TcpSegmenter.segment(tcpFrame(ipv6, data, SEQ, flags), tso(ipv6, MSS), GAP, 0, out);
        return segments(out, size);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void segmentsOfOneBurstAreJoinedIntoTheSuperFrameTheyCameFrom(boolean ipv6) {
        byte[] data = payload(4500, 3);
        for (ByteBuf s : cut(ipv6, data, TcpHeaders.ACK | TcpHeaders.PSH)) {
            coalescer.offer(s);
        }
        assertTrue(written.isEmpty(), "held until the burst ends");
        coalescer.flush();
        assertEquals(1, written.size());
        ByteBuf w = written.get(0);
        VirtioNetHeader v = VirtioNetHeader.read(w, 0);
        assertEquals(ipv6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4, v.gsoType());
        assertEquals(MSS, v.gsoSize());
        assertTrue(v.needsChecksum());
        ByteBuf frame = w.slice(VirtioNetHeader.LENGTH, w.readableBytes() - VirtioNetHeader.LENGTH);
        TcpHeaders h = TcpHeaders.parse(frame, 0, frame.readableBytes());
        assertEquals(v.csumStart(), h.l4());
        byte[] joined = new byte[frame.readableBytes() - h.payload()];
        frame.getBytes(h.payload(), joined);
        assertTrue(java.util.Arrays.equals(data, joined), "the payload in order");
        assertEquals(SEQ, frame.getUnsignedInt(h.l4() + 4));
        assertTrue((frame.getUnsignedByte(h.l4() + 13) & TcpHeaders.PSH) != 0, "the last segment's PSH kept");
        // Completing the partial checksum as the kernel would gives a valid frame.
        assertTrue(TcpSegmenter.completeChecksum(frame, v));
        assertChecksumsValid(frame, 0, frame.readableBytes());
        if (!ipv6) {
            assertEquals(0xffff, Checksums.fold(Checksums.add(0, frame, h.l3(), 20)));
        }
        assertEquals(5, coalescer.joined());
    }

    @Test
    void outOfOrderSegmentsAreNotJoinedAndNothingIsLostOrReordered() {
        byte[] data = payload(5000, 4);
        List<ByteBuf> segs = cut(false, data, TcpHeaders.ACK);
        for (int i : new int[] {0, 2, 1, 3, 4}) {
            coalescer.offer(segs.get(i));
        }
        coalescer.flush();
        List<Long> starts = new ArrayList<>();
        int bytes = 0;
        for (ByteBuf w : written) {
            ByteBuf f = w.slice(VirtioNetHeader.LENGTH, w.readableBytes() - VirtioNetHeader.LENGTH);
            TcpHeaders h = TcpHeaders.parse(f, 0, f.readableBytes());
            starts.add(f.getUnsignedInt(h.l4() + 4));
            bytes += f.readableBytes() - h.payload();
        }
        assertEquals(List.of(SEQ, SEQ + 2 * MSS & 0xffffffffL, SEQ + MSS & 0xffffffffL, SEQ + 3 * MSS & 0xffffffffL), starts,
                "written in the order they came: 0, 2, 1, then 3 joined by 4");
        assertEquals(5000, bytes);
    }

    @Test
    void aLostSegmentSplitsTheRun() {
        List<ByteBuf> segs = cut(false, payload(5000, 5), TcpHeaders.ACK);
        for (int i : new int[] {0, 1, 3, 4}) {
            coalescer.offer(segs.get(i));
        }
        coalescer.flush();
        assertEquals(2, written.size());
        assertEquals(2 * MSS, written.get(0).readableBytes() - VirtioNetHeader.LENGTH - (14 + 20 + 32));
        assertEquals(2 * MSS, written.get(1).readableBytes() - VirtioNetHeader.LENGTH - (14 + 20 + 32));
    }

    @Test
    void controlSegmentsAndOtherFramesPassAloneAndAfterTheirFlow() {
        List<ByteBuf> segs = cut(false, payload(2000, 6), TcpHeaders.ACK);
        coalescer.offer(segs.get(0));
        coalescer.offer(tcpFrame(false, new byte[0], SEQ + 2000, TcpHeaders.ACK | TcpHeaders.FIN));
        ByteBuf arp = Unpooled.buffer().writeZero(60);
        arp.setShort(12, 0x0806);
        coalescer.offer(arp);
        coalescer.flush();
        assertEquals(3, written.size(), "the data segment first, then the FIN, then the ARP frame");
        assertEquals(VirtioNetHeader.GSO_NONE, VirtioNetHeader.read(written.get(0), 0).gsoType());
        assertEquals(0, coalescer.joined());
    }

    @Test
    void aLoneSegmentIsHeldAndWrittenAsItCame() {
        ByteBuf datagram = Unpooled.directBuffer().writeZero(8)
                .writeBytes(tcpFrame(false, payload(37, 7), SEQ, TcpHeaders.ACK | TcpHeaders.PSH));
        ByteBuf original = datagram.slice(0, datagram.readableBytes()).retain().skipBytes(8);
        datagram.release();
        ByteBuf expected = original.copy();
        coalescer.offer(original);
        original.setZero(0, original.readableBytes());
        original.release();
        assertEquals(0, original.refCnt(), "the coalescer keeps no reference to the caller's buffer");
        coalescer.flush();
        assertEquals(1, written.size());
        assertEquals(expected, written.get(0).slice(VirtioNetHeader.LENGTH, written.get(0).readableBytes() - VirtioNetHeader.LENGTH));
        assertEquals(VirtioNetHeader.GSO_NONE, VirtioNetHeader.read(written.get(0), 0).gsoType());
    }
}
