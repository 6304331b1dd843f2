package io.ringswitch.controller.multicast;

import io.ringswitch.controller.packet.InternetChecksum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * MLD over IPv6 in untagged Ethernet frames: decodes v1/v2 queries, reports and dones (RFC 2710
 * §3, RFC 3810 §5), which follow a hop-by-hop header with the router alert option (RFC 2711), and
 * builds the queries the controller sends. The only class that knows MLD's byte offsets.
 */
final class MldCodec {
    static final int ETHERNET = 14;
    static final int IPV6_HEADER = 40;
    static final int HOP_BY_HOP = 0;
    static final int DESTINATION_OPTIONS = 60;
    static final int ICMPV6 = 58;
    static final int QUERY = 130;
    static final int V1_REPORT = 131;
    static final int V1_DONE = 132;
    static final int V2_REPORT = 143;
    static final int MAX_MESSAGE = IgmpCodec.MAX_MESSAGE;
    static final InetAddress ALL_NODES = v6(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    private static final int MAX_EXTENSIONS = 4;

    private MldCodec() {
    }

    /**
     * Where the ICMPv6 MLD message of the frame starts, -1 when the frame is no MLD message:
     * walks at most {@value #MAX_EXTENSIONS} hop-by-hop or destination options headers.
     *
     * @throws MembershipMessage.Malformed when a frame with a hop-by-hop header does not hold
     *                                     together (lengths beyond the frame)
     */
    static int mldOffset(ByteBuf frame) throws MembershipMessage.Malformed {
        int at = frame.readerIndex();
        if (frame.readableBytes() < ETHERNET + IPV6_HEADER || frame.getUnsignedShort(at + 12) != 0x86dd
                || (frame.getUnsignedByte(at + 14) >> 4) != 6) {
            return -1;
        }
        int ip = at + ETHERNET;
        int next = frame.getUnsignedByte(ip + 6);
        if (next != HOP_BY_HOP && next != ICMPV6) {
            return -1;
        }
        int end = ip + IPV6_HEADER + frame.getUnsignedShort(ip + 4);
        if (end > frame.writerIndex()) {
            throw new MembershipMessage.Malformed("IPv6 payload length beyond the frame");
        }
        int pos = ip + IPV6_HEADER;
        for (int i = 0; (next == HOP_BY_HOP || next == DESTINATION_OPTIONS) && i < MAX_EXTENSIONS; i++) {
            if (pos + 8 > end) {
                throw new MembershipMessage.Malformed("IPv6 extension header beyond the packet");
            }
            next = frame.getUnsignedByte(pos);
            pos += (frame.getUnsignedByte(pos + 1) + 1) * 8;
        }
        if (next != ICMPV6 || pos + 4 > end) {
            return -1;
        }
        int type = frame.getUnsignedByte(pos);
        return type == QUERY || type == V1_REPORT || type == V1_DONE || type == V2_REPORT ? pos : -1;
    }

    /** The MLD message at {@code icmp} (from {@link #mldOffset}), its ICMPv6 checksum checked (RFC 4443 §2.3). */
    static MembershipMessage decode(ByteBuf frame, int icmp) throws MembershipMessage.Malformed {
        int ip = frame.readerIndex() + ETHERNET;
        int n = ip + IPV6_HEADER + frame.getUnsignedShort(ip + 4) - icmp;
        if (n > MAX_MESSAGE) {
            throw new MembershipMessage.Malformed("MLD message of " + n + " bytes");
        }
        if (n < 24) {
            throw new MembershipMessage.Malformed("MLD message of " + n + " bytes");
        }
        // RFC 2460 §8.1: the pseudo-header of source, destination, upper-layer length and next header.
        long sum = InternetChecksum.add(0, frame, ip + 8, 32) + (n >>> 16) + (n & 0xffff) + ICMPV6;
        if (InternetChecksum.finish(InternetChecksum.add(sum, frame, icmp, n)) != 0) {
            throw new MembershipMessage.Malformed("ICMPv6 checksum");
        }
        InetAddress source = address(frame, ip + 8);
        switch (frame.getUnsignedByte(icmp)) {
            case QUERY -> {
                // RFC 3810 §8.1: 24 bytes is an MLDv1 query, 28 or more an MLDv2 query.
                if (n > 24 && n < 28 || n >= 28 && 28 + 16 * frame.getUnsignedShort(icmp + 26) > n) {
                    throw new MembershipMessage.Malformed("MLD query of " + n + " bytes");
                }
                InetAddress group = address(frame, icmp + 8);
                return new MembershipMessage.Query(source, group.isAnyLocalAddress() ? null : group(group));
            }
            case V1_REPORT -> {
                return new MembershipMessage.Report(source, List.of(group(address(frame, icmp + 8))), List.of());
            }
            case V1_DONE -> {
                return new MembershipMessage.Report(source, List.of(), List.of(group(address(frame, icmp + 8))));
            }
            default -> {
                return v2Report(frame, source, icmp, icmp + n);
            }
        }
    }

    /** RFC 3810 §5.2: multicast address records, each bounded by the message before it is read. */
    private static MembershipMessage v2Report(ByteBuf frame, InetAddress source, int icmp, int end)
            throws MembershipMessage.Malformed {
        int records = frame.getUnsignedShort(icmp + 6);
        if (8 + 20L * records > end - icmp) {
            throw new MembershipMessage.Malformed("MLDv2 report of " + records + " records beyond the message");
        }
        List<InetAddress> joined = new ArrayList<>();
        List<InetAddress> left = new ArrayList<>();
        int pos = icmp + 8;
        for (int r = 0; r < records; r++) {
            if (pos + 20 > end) {
                throw new MembershipMessage.Malformed("MLDv2 record beyond the message");
            }
            int recordType = frame.getUnsignedByte(pos);
            int aux = frame.getUnsignedByte(pos + 1);
            int sources = frame.getUnsignedShort(pos + 2);
            InetAddress group = group(address(frame, pos + 4));
            pos += 20 + 16 * sources + 4 * aux;
            if (pos > end) {
                throw new MembershipMessage.Malformed("MLDv2 sources beyond the message");
            }
            IgmpCodec.sort(recordType, sources, group, joined, left);
        }
        return new MembershipMessage.Report(source, joined, left);
    }

    private static InetAddress group(InetAddress address) throws MembershipMessage.Malformed {
        if (!address.isMulticastAddress()) {
            throw new MembershipMessage.Malformed("MLD group " + address.getHostAddress() + " is not multicast");
        }
        return address;
    }

    /**
     * An MLDv2 query (RFC 3810 §5.1) that MLDv1 hosts take as theirs (RFC 3810 §8.2.1), from the
     * link-local address of {@code sourceMac}, hop limit 1, behind a hop-by-hop header with the
     * router alert option (RFC 2711 §2.1, value 0: MLD): general to ff02::1, or about one group
     * to that group.
     */
    static ByteBuf query(ByteBufAllocator alloc, byte[] sourceMac, InetAddress group, int maxResponseMillis,
                         int intervalSeconds) {
        byte[] dst = (group == null ? ALL_NODES : group).getAddress();
        ByteBuf f = alloc.directBuffer(ETHERNET + IPV6_HEADER + 8 + 28);
        f.writeBytes(new byte[] {0x33, 0x33, dst[12], dst[13], dst[14], dst[15]});
        f.writeBytes(sourceMac).writeShort(0x86dd);
        int ip = f.writerIndex();
        f.writeInt(0x60000000).writeShort(8 + 28).writeByte(HOP_BY_HOP).writeByte(1);
        f.writeBytes(linkLocal(sourceMac).getAddress()).writeBytes(dst);
        f.writeBytes(new byte[] {ICMPV6, 0, 5, 2, 0, 0, 1, 0});
        int icmp = f.writerIndex();
        f.writeByte(QUERY).writeByte(0).writeShort(0).writeShort(maxResponseMillis).writeShort(0);
        f.writeBytes(group == null ? new byte[16] : dst);
        f.writeByte(2).writeByte(IgmpCodec.code(intervalSeconds)).writeShort(0);
        long sum = InternetChecksum.add(0, f, ip + 8, 32) + 28 + ICMPV6;
        f.setShort(icmp + 2, InternetChecksum.finish(InternetChecksum.add(sum, f, icmp, 28)));
        return f;
    }

    /** The link-local address of a MAC, modified EUI-64 (RFC 4291 §2.5.1, appendix A). */
    static InetAddress linkLocal(byte[] mac) {
        return v6(new byte[] {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, (byte) (mac[0] ^ 2), mac[1], mac[2],
            (byte) 0xff, (byte) 0xfe, mac[3], mac[4], mac[5]});
    }

    private static InetAddress address(ByteBuf frame, int at) {
        byte[] a = new byte[16];
        frame.getBytes(at, a);
        return v6(a);
    }

    static InetAddress v6(byte[] address) {
        try {
            return Inet6Address.getByAddress(null, address, null);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
