package io.ringswitch.controller.multicast;

import io.ringswitch.controller.packet.InternetChecksum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;

/** IGMP and MLD frames as hosts send them, checksums right, for the snooping tests. */
final class MembershipFrames {
    static final byte[] HOST_MAC = {2, 0x77, 0, 0, 1, 1};

    private MembershipFrames() {
    }

    static InetAddress ip(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An IGMP message in IPv4 with the router alert option, from {@code source} to {@code dst}. */
    static ByteBuf igmp(String source, String dst, byte[] message) {
        byte[] d = ip(dst).getAddress();
        ByteBuf f = Unpooled.buffer();
        f.writeBytes(new byte[] {0x01, 0x00, 0x5e, (byte) (d[1] & 0x7f), d[2], d[3]}).writeBytes(HOST_MAC).writeShort(0x0800);
        f.writeByte(0x46).writeByte(0xc0).writeShort(24 + message.length).writeInt(0).writeByte(1).writeByte(2).writeShort(0);
        f.writeBytes(ip(source).getAddress()).writeBytes(d).writeInt(0x94040000);
        f.setShort(14 + 10, InternetChecksum.finish(InternetChecksum.add(0, f, 14, 24)));
        int igmp = f.writerIndex();
        f.writeBytes(message);
        f.setShort(igmp + 2, 0);
        f.setShort(igmp + 2, InternetChecksum.finish(InternetChecksum.add(0, f, igmp, message.length)));
        return f;
    }

    /** IGMPv2 report (0x16) or leave (0x17) about {@code group}. */
    static ByteBuf igmpV2(int type, String source, String group) {
        ByteBuf m = Unpooled.buffer().writeByte(type).writeByte(0).writeShort(0).writeBytes(ip(group).getAddress());
        return igmp(source, type == 0x17 ? "224.0.0.2" : group, bytes(m));
    }

    /** IGMPv3 report with one record per group: {@code types[i]} about {@code groups[i]}, {@code sources[i]} sources. */
    static ByteBuf igmpV3(String source, int[] types, String[] groups, int[] sources) {
        ByteBuf m = Unpooled.buffer().writeByte(0x22).writeByte(0).writeShort(0).writeShort(0).writeShort(groups.length);
        for (int i = 0; i < groups.length; i++) {
            m.writeByte(types[i]).writeByte(0).writeShort(sources[i]).writeBytes(ip(groups[i]).getAddress());
            for (int s = 0; s < sources[i]; s++) {
                m.writeInt(0x0a000001 + s);
            }
        }
        return igmp(source, "224.0.0.22", bytes(m));
    }

    /** An MLD message behind a hop-by-hop header with router alert, checksum over the pseudo-header. */
    static ByteBuf mld(String source, String dst, byte[] message) {
        byte[] d = ip(dst).getAddress();
        ByteBuf f = Unpooled.buffer();
        f.writeBytes(new byte[] {0x33, 0x33, d[12], d[13], d[14], d[15]}).writeBytes(HOST_MAC).writeShort(0x86dd);
        f.writeInt(0x60000000).writeShort(8 + message.length).writeByte(0).writeByte(1);
        f.writeBytes(ip(source).getAddress()).writeBytes(d);
        f.writeBytes(new byte[] {58, 0, 5, 2, 0, 0, 1, 0});
        int icmp = f.writerIndex();
        f.writeBytes(message);
        f.setShort(icmp + 2, 0);
        long sum = InternetChecksum.add(0, f, 14 + 8, 32) + message.length + 58;
        f.setShort(icmp + 2, InternetChecksum.finish(InternetChecksum.add(sum, f, icmp, message.length)));
        return f;
    }

    /** MLDv1 report (131) or done (132) about {@code group}. */
    static ByteBuf mldV1(int type, String source, String group) {
        ByteBuf m = Unpooled.buffer().writeByte(type).writeByte(0).writeShort(0).writeShort(0).writeShort(0)
                .writeBytes(ip(group).getAddress());
        return mld(source, type == 132 ? "ff02::2" : group, bytes(m));
    }

    /** MLDv2 report, one record per group. */
    static ByteBuf mldV2(String source, int[] types, String[] groups, int[] sources) {
        ByteBuf m = Unpooled.buffer().writeByte(143).writeByte(0).writeShort(0).writeShort(0).writeShort(groups.length);
        for (int i = 0; i < groups.length; i++) {
            m.writeByte(types[i]).writeByte(0).writeShort(sources[i]).writeBytes(ip(groups[i]).getAddress());
            for (int s = 0; s < sources[i]; s++) {
                m.writeBytes(ip("2001:db8::" + (s + 1)).getAddress());
            }
        }
        return mld(source, "ff02::16", bytes(m));
    }

    /** A UDP datagram to an IPv4 group (no checksums needed by the forwarder). */
    static ByteBuf udp4(String group) {
        byte[] d = ip(group).getAddress();
        ByteBuf f = Unpooled.directBuffer(128);
        f.writeBytes(new byte[] {0x01, 0x00, 0x5e, (byte) (d[1] & 0x7f), d[2], d[3]}).writeBytes(HOST_MAC).writeShort(0x0800);
        f.writeByte(0x45).writeByte(0).writeShort(20 + 8 + 10).writeInt(0).writeByte(8).writeByte(17).writeShort(0);
        f.writeBytes(ip("10.77.1.1").getAddress()).writeBytes(d);
        f.writeShort(5001).writeShort(5001).writeShort(18).writeShort(0).writeZero(10);
        return f;
    }

    /** A UDP datagram to an IPv6 group. */
    static ByteBuf udp6(String group) {
        byte[] d = ip(group).getAddress();
        ByteBuf f = Unpooled.directBuffer(128);
        f.writeBytes(new byte[] {0x33, 0x33, d[12], d[13], d[14], d[15]}).writeBytes(HOST_MAC).writeShort(0x86dd);
        f.writeInt(0x60000000).writeShort(8 + 10).writeByte(17).writeByte(8);
        f.writeBytes(ip("fe80::1").getAddress()).writeBytes(d);
        f.writeShort(5353).writeShort(5353).writeShort(18).writeShort(0).writeZero(10);
        return f;
    }

    static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }
}
