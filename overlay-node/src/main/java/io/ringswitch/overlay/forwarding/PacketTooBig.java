package io.ringswitch.overlay.forwarding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.ringswitch.overlay.offload.Checksums;

/**
 * Path MTU discovery for hosts whose MTU is larger than the overlay carries: for an IP packet too
 * big for the overlay, the answer a router would give, written back towards its sender — ICMP
 * "fragmentation needed" with the overlay's MTU (RFC 792, RFC 1191) for IPv4 with DF set, ICMPv6
 * "packet too big" (RFC 4443 §3.2) for IPv6. It comes from the packet's destination address (the
 * overlay is one LAN and has no router address), to the sender's MAC from the destination's MAC,
 * in the packet's VLAN, and quotes as much of the packet as a reply may carry. The sender's stack
 * lowers its path MTU and resends in packets that fit: no black hole.
 */
final class PacketTooBig {
    static final int ETHERNET = 14;
    static final int VLAN = 4;
    static final int TPID = 0x8100;
    static final int IPV4 = 0x0800;
    static final int IPV6 = 0x86dd;
    /** What an ICMP error quotes of the packet: IPv4 RFC 1812 allows up to 576 bytes in all, IPv6 up to 1280. */
    private static final int QUOTE_V4 = 576 - 20 - 8;
    private static final int QUOTE_V6 = 1280 - 40 - 8;

    private PacketTooBig() {
    }

    /** The IP packet's length of the frame at {@code at} (its L3 bytes), or -1 when it is no IP packet. */
    static int ipLength(ByteBuf frame, int at) {
        int l3 = l3(frame, at);
        return l3 < 0 ? -1 : frame.writerIndex() - l3;
    }

    /** Bytes in front of the IP header (Ethernet and an optional VLAN tag), or -1 for no IP frame. */
    static int l2Length(ByteBuf frame, int at) {
        int l3 = l3(frame, at);
        return l3 < 0 ? -1 : l3 - at;
    }

    /**
     * The reply to a packet too big for {@code mtu}, or null when none is due (not IP, IPv4
     * without DF, a fragment that is not the first, an ICMP error itself, or headers cut short).
     */
    static ByteBuf reply(ByteBufAllocator alloc, ByteBuf frame, int mtu) {
        int at = frame.readerIndex();
        int l3 = l3(frame, at);
        if (l3 < 0) {
            return null;
        }
        int ethType = frame.getUnsignedShort(l3 - 2);
        int available = frame.writerIndex() - l3;
        return ethType == IPV4 ? v4(alloc, frame, at, l3, available, mtu) : v6(alloc, frame, at, l3, available, mtu);
    }

    private static ByteBuf v4(ByteBufAllocator alloc, ByteBuf frame, int at, int l3, int available, int mtu) {
        if (available < 20 || (frame.getUnsignedByte(l3) >>> 4) != 4) {
            return null;
        }
        int ihl = (frame.getUnsignedByte(l3) & 0x0f) * 4;
        int flags = frame.getUnsignedShort(l3 + 6);
        boolean dontFragment = (flags & 0x4000) != 0;
        boolean laterFragment = (flags & 0x1fff) != 0;
        int proto = frame.getUnsignedByte(l3 + 9);
        if (!dontFragment || laterFragment || ihl < 20 || available < ihl || isIcmpError(frame, l3 + ihl, proto, 1, available - ihl)) {
            return null;
        }
        int quote = Math.min(available, QUOTE_V4);
        int l2 = l3 - at;
        ByteBuf r = alloc.directBuffer(l2 + 20 + 8 + quote);
        writeEthernet(r, frame, at, l2);
        int ip = r.writerIndex();
        r.writeByte(0x45).writeByte(0xc0).writeShort(20 + 8 + quote).writeShort(0).writeShort(0x4000)
                .writeByte(64).writeByte(1).writeShort(0);
        r.writeBytes(frame, l3 + 16, 4);  // from the packet's destination
        r.writeBytes(frame, l3 + 12, 4);  // to its source
        Checksums.ipv4Header(r, ip, 20);
        int icmp = r.writerIndex();
        r.writeByte(3).writeByte(4).writeShort(0).writeShort(0).writeShort(mtu);
        r.writeBytes(frame, l3, quote);
        r.setShort(icmp + 2, Checksums.finish(Checksums.add(0, r, icmp, 8 + quote)));
        return r;
    }

    private static ByteBuf v6(ByteBufAllocator alloc, ByteBuf frame, int at, int l3, int available, int mtu) {
        if (available < 40 || (frame.getUnsignedByte(l3) >>> 4) != 6) {
            return null;
        }
        int next = frame.getUnsignedByte(l3 + 6);
        if (isIcmpError(frame, l3 + 40, next, 58, available - 40)) {
            return null;
        }
        int quote = Math.min(available, QUOTE_V6);
        int l2 = l3 - at;
        ByteBuf r = alloc.directBuffer(l2 + 40 + 8 + quote);
        writeEthernet(r, frame, at, l2);
        int ip = r.writerIndex();
        r.writeInt(0x60000000).writeShort(8 + quote).writeByte(58).writeByte(64);
        r.writeBytes(frame, l3 + 24, 16);  // from the packet's destination
        r.writeBytes(frame, l3 + 8, 16);   // to its source
        int icmp = r.writerIndex();
        r.writeByte(2).writeByte(0).writeShort(0).writeInt(mtu);
        r.writeBytes(frame, l3, quote);
        long sum = Checksums.pseudoHeader(r, ip, true, 58, 8 + quote);
        r.setShort(icmp + 2, Checksums.finish(Checksums.add(sum, r, icmp, 8 + quote)));
        return r;
    }

    /** Ethernet (and VLAN tag) of the reply: back to the sender, from the destination's MAC. */
    private static void writeEthernet(ByteBuf r, ByteBuf frame, int at, int l2) {
        r.writeBytes(frame, at + 6, 6);
        r.writeBytes(frame, at, 6);
        r.writeBytes(frame, at + 12, l2 - 12);
    }

    /** ICMP errors are never answered with ICMP errors (RFC 1122 §3.2.2, RFC 4443 §2.4). */
    private static boolean isIcmpError(ByteBuf frame, int l4, int proto, int icmpProto, int available) {
        if (proto != icmpProto || available < 1) {
            return false;
        }
        int type = frame.getUnsignedByte(l4);
        return icmpProto == 1 ? type != 0 && type != 8 && type != 13 && type != 14 : type < 128;
    }

    /** Where the IP header starts (after one optional VLAN tag), or -1 for no IPv4/IPv6 frame. */
    private static int l3(ByteBuf frame, int at) {
        if (frame.readableBytes() < ETHERNET) {
            return -1;
        }
        int type = frame.getUnsignedShort(at + 12);
        int l3 = at + ETHERNET;
        if (type == TPID) {
            if (frame.readableBytes() < ETHERNET + VLAN) {
                return -1;
            }
            type = frame.getUnsignedShort(at + 16);
            l3 += VLAN;
        }
        return type == IPV4 || type == IPV6 ? l3 : -1;
    }
}
