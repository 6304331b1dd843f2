package io.ringswitch.controller.multicast;

import io.ringswitch.controller.packet.InternetChecksum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * IGMP over IPv4 in untagged Ethernet frames: decodes v1/v2/v3 queries and reports (RFC 2236
 * §2, RFC 3376 §4) into {@link MembershipMessage}s and builds the queries the controller sends. The
 * only class that knows IGMP's byte offsets.
 */
final class IgmpCodec {
    static final int ETHERNET = 14;
    static final int PROTOCOL = 2;
    /** Larger than any report a host sends on these links; a bigger one is refused before it is read. */
    static final int MAX_MESSAGE = 9000;
    static final int QUERY = 0x11;
    static final int V1_REPORT = 0x12;
    static final int V2_REPORT = 0x16;
    static final int V2_LEAVE = 0x17;
    static final int V3_REPORT = 0x22;
    static final InetAddress ALL_SYSTEMS = v4(0xe0000001);
    static final InetAddress ANY = v4(0);

    private IgmpCodec() {
    }

    /** Whether the frame is an untagged IPv4 packet of protocol IGMP (well formed or not). */
    static boolean isIgmp(ByteBuf frame) {
        int at = frame.readerIndex();
        return frame.readableBytes() >= ETHERNET + 20 && frame.getUnsignedShort(at + 12) == 0x0800
                && (frame.getUnsignedByte(at + 14) >> 4) == 4 && frame.getUnsignedByte(at + 14 + 9) == PROTOCOL;
    }

    /**
     * The IGMP message of a frame that {@link #isIgmp} accepts; null for an IGMP type that is not
     * about membership (DVMRP, mtrace, ...).
     */
    static MembershipMessage decode(ByteBuf frame) throws MembershipMessage.Malformed {
        int ip = frame.readerIndex() + ETHERNET;
        int end = frame.writerIndex();
        int ihl = (frame.getUnsignedByte(ip) & 0x0f) * 4;
        int total = frame.getUnsignedShort(ip + 2);
        if (ihl < 20 || total < ihl || ip + total > end) {
            throw new MembershipMessage.Malformed("IPv4 lengths beyond the frame");
        }
        if ((frame.getUnsignedShort(ip + 6) & 0x3fff) != 0) {
            throw new MembershipMessage.Malformed("fragmented IGMP");
        }
        int igmp = ip + ihl;
        int n = total - ihl;
        if (n < 8) {
            throw new MembershipMessage.Malformed("IGMP message of " + n + " bytes");
        }
        if (n > MAX_MESSAGE) {
            throw new MembershipMessage.Malformed("IGMP message of " + n + " bytes");
        }
        if (InternetChecksum.finish(InternetChecksum.add(0, frame, igmp, n)) != 0) {
            throw new MembershipMessage.Malformed("IGMP checksum");
        }
        InetAddress source = v4(frame.getInt(ip + 12));
        int type = frame.getUnsignedByte(igmp);
        switch (type) {
            case QUERY -> {
                // RFC 3376 §7.1: 8 bytes is a v1/v2 query, 12 or more a v3 query, 9 to 11 neither.
                if (n > 8 && n < 12) {
                    throw new MembershipMessage.Malformed("IGMP query of " + n + " bytes");
                }
                if (n >= 12 && 12 + 4 * frame.getUnsignedShort(igmp + 10) > n) {
                    throw new MembershipMessage.Malformed("IGMPv3 query sources beyond the message");
                }
                int group = frame.getInt(igmp + 4);
                return new MembershipMessage.Query(source, group == 0 ? null : groupOf(group));
            }
            case V1_REPORT, V2_REPORT -> {
                return new MembershipMessage.Report(source, List.of(groupOf(frame.getInt(igmp + 4))), List.of());
            }
            case V2_LEAVE -> {
                return new MembershipMessage.Report(source, List.of(), List.of(groupOf(frame.getInt(igmp + 4))));
            }
            case V3_REPORT -> {
                return v3Report(frame, source, igmp, igmp + n);
            }
            default -> {
                return null;
            }
        }
    }

    /** RFC 3376 §4.2: a v3 report, its group records bounded by the message before anything is kept. */
    private static MembershipMessage v3Report(ByteBuf frame, InetAddress source, int igmp, int end)
            throws MembershipMessage.Malformed {
        int records = frame.getUnsignedShort(igmp + 6);
        if (8 + 8L * records > end - igmp) {
            throw new MembershipMessage.Malformed("IGMPv3 report of " + records + " records beyond the message");
        }
        List<InetAddress> joined = new ArrayList<>();
        List<InetAddress> left = new ArrayList<>();
        int pos = igmp + 8;
        for (int r = 0; r < records; r++) {
            if (pos + 8 > end) {
                throw new MembershipMessage.Malformed("IGMPv3 group record beyond the message");
            }
            int recordType = frame.getUnsignedByte(pos);
            int aux = frame.getUnsignedByte(pos + 1);
            int sources = frame.getUnsignedShort(pos + 2);
            InetAddress group = groupOf(frame.getInt(pos + 4));
            pos += 8 + 4 * sources + 4 * aux;
            if (pos > end) {
                throw new MembershipMessage.Malformed("IGMPv3 sources beyond the message");
            }
            sort(recordType, sources, group, joined, left);
        }
        return new MembershipMessage.Report(source, joined, left);
    }

    /**
     * RFC 3376 §4.2.12 and RFC 3810 §5.2.12, source lists aside: EXCLUDE modes and sources to
     * include join; INCLUDE of no source leaves; BLOCK changes nothing a port needs; unknown
     * record types are ignored.
     */
    static void sort(int recordType, int sources, InetAddress group, List<InetAddress> joined, List<InetAddress> left) {
        switch (recordType) {
            case 1, 3 -> (sources == 0 ? left : joined).add(group);
            case 2, 4 -> joined.add(group);
            case 5 -> {
                if (sources > 0) {
                    joined.add(group);
                }
            }
            default -> {
            }
        }
    }

    private static InetAddress groupOf(int address) throws MembershipMessage.Malformed {
        if ((address >>> 28) != 0xe) {
            throw new MembershipMessage.Malformed("IGMP group " + v4(address).getHostAddress() + " is not multicast");
        }
        return v4(address);
    }

    /**
     * An IGMPv3 query (RFC 3376 §4.1) that v2 hosts take as a v2 query (RFC 3376 §7.2.1), from
     * 0.0.0.0 as a proxy querier sends (RFC 4541 §2.1.1), with the router alert option (RFC 2113):
     * general to 224.0.0.1, or about one group to that group.
     *
     * @param maxResponseTenths how long hosts may wait to answer, in tenths of a second (below 128)
     * @param intervalSeconds   the querier's query interval, told to hosts (QQIC)
     */
    static ByteBuf query(ByteBufAllocator alloc, byte[] sourceMac, InetAddress group, int maxResponseTenths,
                         int intervalSeconds) {
        InetAddress to = group == null ? ALL_SYSTEMS : group;
        byte[] dst = to.getAddress();
        ByteBuf f = alloc.directBuffer(64);
        f.writeBytes(new byte[] {0x01, 0x00, 0x5e, (byte) (dst[1] & 0x7f), dst[2], dst[3]});
        f.writeBytes(sourceMac).writeShort(0x0800);
        int ip = f.writerIndex();
        f.writeByte(0x46).writeByte(0xc0).writeShort(24 + 12).writeShort(0).writeShort(0);
        f.writeByte(1).writeByte(PROTOCOL).writeShort(0).writeInt(0).writeBytes(dst);
        f.writeInt(0x94040000);
        f.setShort(ip + 10, InternetChecksum.finish(InternetChecksum.add(0, f, ip, 24)));
        int igmp = f.writerIndex();
        f.writeByte(QUERY).writeByte(maxResponseTenths).writeShort(0);
        f.writeBytes(group == null ? new byte[4] : dst);
        f.writeByte(2).writeByte(code(intervalSeconds)).writeShort(0);
        f.setShort(igmp + 2, InternetChecksum.finish(InternetChecksum.add(0, f, igmp, 12)));
        f.writeZero(60 - f.writerIndex());
        return f;
    }

    /** RFC 3376 §4.1.7 (and §4.1.1): a value below 128 as is, larger ones as a small float. */
    static int code(int value) {
        if (value < 128) {
            return value;
        }
        for (int exp = 0; exp < 8; exp++) {
            int mant = (value >> (exp + 3)) - 16;
            if (mant < 16) {
                return 0x80 | exp << 4 | Math.max(0, mant);
            }
        }
        return 0xff;
    }

    static InetAddress v4(int address) {
        try {
            return Inet4Address.getByAddress(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16),
                (byte) (address >>> 8), (byte) address});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
