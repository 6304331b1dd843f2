package io.ringswitch.controller.multicast;

import io.ringswitch.controller.packet.InternetChecksum;
import static io.ringswitch.controller.multicast.MembershipFrames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MembershipCodecTest {
    private static final byte[] NODE_MAC = {2, 1, 2, 3, 4, 5};

    private static MembershipMessage decode(ByteBuf frame) throws MembershipMessage.Malformed {
        if (IgmpCodec.isIgmp(frame)) {
            return IgmpCodec.decode(frame);
        }
        int at = MldCodec.mldOffset(frame);
        return at < 0 ? null : MldCodec.decode(frame, at);
    }

    @Test
    void igmpV2ReportAndLeave() throws Exception {
        assertEquals(new MembershipMessage.Report(ip("10.77.1.1"), List.of(ip("239.1.2.3")), List.of()),
                decode(MembershipFrames.igmpV2(0x16, "10.77.1.1", "239.1.2.3")));
        assertEquals(new MembershipMessage.Report(ip("10.77.1.1"), List.of(), List.of(ip("239.1.2.3"))),
                decode(MembershipFrames.igmpV2(0x17, "10.77.1.1", "239.1.2.3")));
    }

    @Test
    void igmpV3RecordsJoinAndLeaveAsRfc3376Says() throws Exception {
        // IS_EX({}) joins, TO_IN({}) leaves, ALLOW(2 sources) joins, BLOCK(1) changes nothing, type 9 is ignored.
        MembershipMessage m = decode(MembershipFrames.igmpV3("10.77.1.2", new int[] {2, 3, 5, 6, 9},
                new String[] {"239.1.1.1", "239.1.1.2", "239.1.1.3", "239.1.1.4", "239.1.1.5"}, new int[] {0, 0, 2, 1, 0}));
        assertEquals(new MembershipMessage.Report(ip("10.77.1.2"), List.of(ip("239.1.1.1"), ip("239.1.1.3")),
                List.of(ip("239.1.1.2"))), m);
    }

    @Test
    void mldV1ReportAndDoneBehindTheHopByHopHeader() throws Exception {
        assertEquals(new MembershipMessage.Report(ip("fe80::1"), List.of(ip("ff15::1")), List.of()),
                decode(MembershipFrames.mldV1(131, "fe80::1", "ff15::1")));
        assertEquals(new MembershipMessage.Report(ip("fe80::1"), List.of(), List.of(ip("ff15::1"))),
                decode(MembershipFrames.mldV1(132, "fe80::1", "ff15::1")));
    }

    @Test
    void mldV2Records() throws Exception {
        MembershipMessage m = decode(MembershipFrames.mldV2("fe80::2", new int[] {4, 1},
                new String[] {"ff15::1", "ff15::2"}, new int[] {0, 0}));
        assertEquals(new MembershipMessage.Report(ip("fe80::2"), List.of(ip("ff15::1")), List.of(ip("ff15::2"))), m);
    }

    @Test
    void theNodesQueriesDecodeWithRightChecksums() throws Exception {
        ByteBuf q4 = IgmpCodec.query(UnpooledByteBufAllocator.DEFAULT, NODE_MAC, null, 100, 125);
        assertEquals(new MembershipMessage.Query(ip("0.0.0.0"), null), decode(q4));
        assertEquals(60, q4.readableBytes());
        assertEquals(ip("224.0.0.1"), GroupAddresses.ipGroup(q4));
        ByteBuf gsq = IgmpCodec.query(UnpooledByteBufAllocator.DEFAULT, NODE_MAC, ip("239.1.2.3"), 10, 125);
        assertEquals(new MembershipMessage.Query(ip("0.0.0.0"), ip("239.1.2.3")), decode(gsq));
        assertEquals(0x01005e010203L, gsq.getUnsignedInt(2) | (long) gsq.getUnsignedShort(0) << 32);

        ByteBuf q6 = MldCodec.query(UnpooledByteBufAllocator.DEFAULT, NODE_MAC, null, 10_000, 125);
        assertEquals(new MembershipMessage.Query(ip("fe80::1:2ff:fe03:405"), null), decode(q6));
        assertEquals(ip("ff02::1"), GroupAddresses.ipGroup(q6));
        assertEquals(1, q6.getUnsignedByte(14 + 7), "hop limit 1");
        ByteBuf gsq6 = MldCodec.query(UnpooledByteBufAllocator.DEFAULT, NODE_MAC, ip("ff15::7"), 1000, 125);
        assertEquals(new MembershipMessage.Query(ip("fe80::1:2ff:fe03:405"), ip("ff15::7")), decode(gsq6));
    }

    @Test
    void queryIntervalCodesAboveOneHundredAndTwentySevenAreFloats() {
        assertEquals(125, IgmpCodec.code(125));
        int code = IgmpCodec.code(300);
        int exp = code >> 4 & 7;
        int mant = code & 0x0f;
        assertEquals(0x80, code & 0x80);
        assertTrue(Math.abs(((mant | 0x10) << (exp + 3)) - 300) < 16, "300 s within one step: " + code);
    }

    @Test
    void malformedMessagesAreRefused() {
        ByteBuf bad = MembershipFrames.igmpV2(0x16, "10.77.1.1", "239.1.2.3");
        bad.setByte(bad.writerIndex() - 1, 4);
        assertThrows(MembershipMessage.Malformed.class, () -> decode(bad), "checksum");

        ByteBuf shortOne = MembershipFrames.igmp("10.77.1.1", "239.1.2.3", new byte[] {0x16, 0, 0, 0});
        assertThrows(MembershipMessage.Malformed.class, () -> decode(shortOne), "4 bytes");

        ByteBuf records = MembershipFrames.igmpV3("10.77.1.2", new int[] {2}, new String[] {"239.1.1.1"}, new int[] {0});
        records.setShort(14 + 24 + 6, 200);
        fixIgmpChecksum(records);
        assertThrows(MembershipMessage.Malformed.class, () -> decode(records), "200 records in 16 bytes");

        ByteBuf sources = MembershipFrames.mldV2("fe80::2", new int[] {2}, new String[] {"ff15::1"}, new int[] {1});
        sources.setShort(14 + 40 + 8 + 8 + 2, 3);
        assertThrows(MembershipMessage.Malformed.class, () -> decode(sources), "3 sources where 1 is");

        ByteBuf huge = MembershipFrames.igmp("10.77.1.1", "224.0.0.22", new byte[IgmpCodec.MAX_MESSAGE + 8]);
        huge.setByte(14 + 24, 0x22);
        fixIgmpChecksum(huge);
        assertThrows(MembershipMessage.Malformed.class, () -> decode(huge), "oversized");

        ByteBuf notMulticast = MembershipFrames.igmpV2(0x16, "10.77.1.1", "10.1.2.3");
        assertThrows(MembershipMessage.Malformed.class, () -> decode(notMulticast), "a unicast group");

        ByteBuf truncated = MembershipFrames.mldV1(131, "fe80::1", "ff15::1");
        ByteBuf cut = truncated.slice(0, truncated.readableBytes() - 6);
        assertThrows(MembershipMessage.Malformed.class, () -> decode(cut), "IPv6 payload beyond the frame");
    }

    @Test
    void otherTrafficIsNoMembershipMessage() throws Exception {
        assertNull(decode(MembershipFrames.udp4("239.1.2.3")));
        assertNull(decode(MembershipFrames.udp6("ff02::fb")));
        assertNull(decode(Unpooled.wrappedBuffer(new byte[20])));
    }

    /** Seeded: thousands of frames with random bytes flipped, cut or lengthened; only Malformed may come out. */
    @Test
    void randomMutationsNeverThrowAnythingButMalformed() {
        Random random = new Random(9_6);
        List<ByteBuf> seeds = List.of(
                MembershipFrames.igmpV2(0x16, "10.77.1.1", "239.1.2.3"),
                MembershipFrames.igmpV3("10.77.1.2", new int[] {2, 5}, new String[] {"239.1.1.1", "239.1.1.2"}, new int[] {0, 2}),
                MembershipFrames.mldV1(131, "fe80::1", "ff15::1"),
                MembershipFrames.mldV2("fe80::2", new int[] {4, 6}, new String[] {"ff15::1", "ff15::2"}, new int[] {0, 1}),
                IgmpCodec.query(UnpooledByteBufAllocator.DEFAULT, NODE_MAC, null, 100, 125),
                MldCodec.query(UnpooledByteBufAllocator.DEFAULT, NODE_MAC, null, 10_000, 125));
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] frame = MembershipFrames.bytes(seeds.get(random.nextInt(seeds.size())));
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(4) == 0 ? random.nextInt(frame.length + 1) : frame.length;
            ByteBuf buf = Unpooled.wrappedBuffer(frame, 0, length);
            try {
                decode(buf);
                GroupAddresses.ipGroup(buf);
                decoded++;
            } catch (MembershipMessage.Malformed e) {
                refused++;
            }
        }
        assertTrue(refused > 1000 && decoded > 1000, "both outcomes seen: " + decoded + " decoded, " + refused + " refused");
    }

    private static void fixIgmpChecksum(ByteBuf frame) {
        int igmp = 14 + 24;
        int n = frame.readableBytes() - igmp;
        frame.setShort(igmp + 2, 0);
        frame.setShort(igmp + 2, InternetChecksum.finish(InternetChecksum.add(0, frame, igmp, n)));
    }
}
