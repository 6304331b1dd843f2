package io.ringswitch.controller.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Path MTU discovery for hosts whose MTU is larger than the overlay carries: for an IP packet too big
 * for the overlay, the answer a router would give, written back towards its sender. ICMP
 * "fragmentation needed and DF set" with the overlay's MTU (RFC 792, RFC 1191 §4) for IPv4 with DF set;
 * ICMPv6 "packet too big" (RFC 4443 §3.2) for IPv6. It comes from the packet's destination address
 * (the overlay is one LAN and has no router address), to the sender's MAC from the destination's MAC,
 * in the packet's VLAN, and quotes as much of the packet as an ICMP error may carry. The sender's
 * stack lowers its path MTU and resends in packets that fit: no black hole.
 */
public final class PacketTooBig {
    public static final int ETHERNET = 14;
    static final int VLAN = 4;
    static final int TPID = 0x8100;
    static final int IPV4 = 0x0800;
    static final int IPV6 = 0x86dd;
    /** What an ICMP error quotes of the packet: IPv4 RFC 1812 §4.3.2.3 allows up to 576 bytes in all, IPv6 up to 1280. */
    private static final int QUOTE_V4 = 576 - 20 - 8;
    private static final int QUOTE_V6 = 1280 - 40 - 8;

    /** Why no answer is due: the kinds a caller counts. */
    public enum Refusal {
        /** Not an IPv4/IPv6 frame, or its headers are cut short. */
        NOT_IP,
        /** Not larger than the MTU after all. */
        FITS,
        /** IPv4 without DF: a router would fragment it; the overlay drops it. */
        NO_DF,
        /** An IPv4 fragment other than the first, or an ICMP error (never answered with an error: RFC 1122 §3.2.2, RFC 4443 §2.4). */
        NOT_ANSWERED
    }

    /** The answer, or why there is none. */
    public record Answer(byte[] frame, Refusal refusal) {
    }

    private PacketTooBig() {
    }

    /** The IP packet's length of the frame (its L3 bytes), or -1 when it is no IP frame. */
    public static int ipLength(ByteBuf frame, int at) {
        int l3 = l3(frame, at);
        return l3 < 0 ? -1 : frame.writerIndex() - l3;
    }

    /** Bytes in front of the IP header (Ethernet and an optional VLAN tag), or -1 for no IP frame. */
    public static int l2Length(ByteBuf frame, int at) {
        int l3 = l3(frame, at);
        return l3 < 0 ? -1 : l3 - at;
    }

    /** The answer to an Ethernet frame whose IP packet may be too big for {@code mtu}. */
    public static Answer answer(byte[] frame, int mtu) {
        ByteBuf f = Unpooled.wrappedBuffer(frame);
        int l3 = l3(f, 0);
        if (l3 < 0) {
            return new Answer(null, Refusal.NOT_IP);
        }
        int available = frame.length - l3;
        if (available <= mtu) {
            return new Answer(null, Refusal.FITS);
        }
        return f.getUnsignedShort(l3 - 2) == IPV4 ? v4(f, l3, available, mtu) : v6(f, l3, available, mtu);
    }

    private static Answer v4(ByteBuf frame, int l3, int available, int mtu) {
        if (available < 20 || (frame.getUnsignedByte(l3) >>> 4) != 4) {
            return new Answer(null, Refusal.NOT_IP);
        }
        int ihl = (frame.getUnsignedByte(l3) & 0x0f) * 4;
        int flags = frame.getUnsignedShort(l3 + 6);
        int proto = frame.getUnsignedByte(l3 + 9);
        if (ihl < 20 || available < ihl) {
            return new Answer(null, Refusal.NOT_IP);
        }
        if ((flags & 0x1fff) != 0 || isIcmpError(frame, l3 + ihl, proto, 1, available - ihl)) {
            return new Answer(null, Refusal.NOT_ANSWERED);
        }
        if ((flags & 0x4000) == 0) {
            return new Answer(null, Refusal.NO_DF);
        }
        int quote = Math.min(available, QUOTE_V4);
        ByteBuf r = Unpooled.buffer(l3 + 20 + 8 + quote);
        writeEthernet(r, frame, l3);
        int ip = r.writerIndex();
        r.writeByte(0x45).writeByte(0xc0).writeShort(20 + 8 + quote).writeShort(0).writeShort(0x4000)
                .writeByte(64).writeByte(1).writeShort(0);
        r.writeBytes(frame, l3 + 16, 4);  // from the packet's destination
        r.writeBytes(frame, l3 + 12, 4);  // to its source
        r.setShort(ip + 10, InternetChecksum.finish(InternetChecksum.add(0, r, ip, 20)));
        int icmp = r.writerIndex();
        r.writeByte(3).writeByte(4).writeShort(0).writeShort(0).writeShort(mtu);
        r.writeBytes(frame, l3, quote);
        r.setShort(icmp + 2, InternetChecksum.finish(InternetChecksum.add(0, r, icmp, 8 + quote)));
        return new Answer(bytes(r), null);
    }

    private static Answer v6(ByteBuf frame, int l3, int available, int mtu) {
        if (available < 40 || (frame.getUnsignedByte(l3) >>> 4) != 6) {
            return new Answer(null, Refusal.NOT_IP);
        }
        if (isIcmpError(frame, l3 + 40, frame.getUnsignedByte(l3 + 6), 58, available - 40)) {
            return new Answer(null, Refusal.NOT_ANSWERED);
        }
        int quote = Math.min(available, QUOTE_V6);
        ByteBuf r = Unpooled.buffer(l3 + 40 + 8 + quote);
        writeEthernet(r, frame, l3);
        int ip = r.writerIndex();
        r.writeInt(0x60000000).writeShort(8 + quote).writeByte(58).writeByte(64);
        r.writeBytes(frame, l3 + 24, 16);  // from the packet's destination
        r.writeBytes(frame, l3 + 8, 16);   // to its source
        int icmp = r.writerIndex();
        r.writeByte(2).writeByte(0).writeShort(0).writeInt(mtu);
        r.writeBytes(frame, l3, quote);
        // RFC 4443 §2.3: the checksum covers the IPv6 pseudo-header (RFC 8200 §8.1).
        long sum = InternetChecksum.add(0, r, ip + 8, 32) + 58 + 8 + quote;
        r.setShort(icmp + 2, InternetChecksum.finish(InternetChecksum.add(sum, r, icmp, 8 + quote)));
        return new Answer(bytes(r), null);
    }

    /** Ethernet (and VLAN tag) of the reply: back to the sender, from the destination's MAC. */
    private static void writeEthernet(ByteBuf r, ByteBuf frame, int l3) {
        r.writeBytes(frame, 6, 6);
        r.writeBytes(frame, 0, 6);
        r.writeBytes(frame, 12, l3 - 12);
    }

    private static boolean isIcmpError(ByteBuf frame, int l4, int proto, int icmpProto, int available) {
        if (proto != icmpProto || available < 1) {
            return false;
        }
        int type = frame.getUnsignedByte(l4);
        return icmpProto == 1 ? type != 0 && type != 8 && type != 13 && type != 14 : type < 128;
    }

    /** Where the IP header starts (after one optional VLAN tag), or -1 for no IPv4/IPv6 frame. */
    private static int l3(ByteBuf frame, int at) {
        if (frame.writerIndex() - at < ETHERNET) {
            return -1;
        }
        int type = frame.getUnsignedShort(at + 12);
        int l3 = at + ETHERNET;
        if (type == TPID) {
            if (frame.writerIndex() - at < ETHERNET + VLAN) {
                return -1;
            }
            type = frame.getUnsignedShort(at + 16);
            l3 += VLAN;
        }
        return type == IPV4 || type == IPV6 ? l3 : -1;
    }

    private static byte[] bytes(ByteBuf r) {
        byte[] out = new byte[r.readableBytes()];
        r.readBytes(out);
        return out;
    }
}
