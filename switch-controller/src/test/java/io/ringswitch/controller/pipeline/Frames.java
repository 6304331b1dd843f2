package io.ringswitch.controller.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.controller.packet.InternetChecksum;
import java.util.Arrays;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Real Ethernet frames for tests (untagged, minimum 60 bytes), and readers for the fields tests
 * assert on. Layouts: Ethernet II, ARP (RFC 826), IPv4 (RFC 791), UDP (RFC 768), BOOTP/DHCP
 * (RFC 2131 §2), IGMPv2 (RFC 2236), IPv6 (RFC 8200) and ICMPv6 neighbour solicitation (RFC 4861 §4.3).
 */
public final class Frames {
    public static final int ARP = 0x0806;
    public static final int IPV4 = 0x0800;
    public static final int IPV6 = 0x86dd;

    private Frames() {
    }

    /** Who has {@code tpa}? Tell {@code spa} (broadcast). */
    public static byte[] arpRequest(MacAddress sha, IPv4Address spa, IPv4Address tpa) {
        return arp(MacAddress.BROADCAST, 1, sha, spa, MacAddress.NONE, tpa);
    }

    /** {@code spa} is at {@code sha}, to {@code tha}. */
    public static byte[] arpReply(MacAddress sha, IPv4Address spa, MacAddress tha, IPv4Address tpa) {
        return arp(tha, 2, sha, spa, tha, tpa);
    }

    public static byte[] arp(MacAddress dst, int op, MacAddress sha, IPv4Address spa, MacAddress tha, IPv4Address tpa) {
        ByteBuf b = ethernet(dst, sha, ARP);
        b.writeShort(1).writeShort(IPV4).writeByte(6).writeByte(4).writeShort(op);
        b.writeBytes(sha.getBytes()).writeBytes(spa.getBytes()).writeBytes(tha.getBytes()).writeBytes(tpa.getBytes());
        return finish(b);
    }

    /** An IPv4 UDP datagram (TTL 64, checksums correct). */
    public static byte[] udp(MacAddress src, MacAddress dst, IPv4Address sip, IPv4Address dip, int sport, int dport,
                             byte[] payload) {
        ByteBuf b = ethernet(dst, src, IPV4);
        ipv4Header(b, 17, 64, sip, dip, 8 + payload.length, 0);
        int udpAt = b.writerIndex();
        b.writeShort(sport).writeShort(dport).writeShort(8 + payload.length).writeShort(0).writeBytes(payload);
        long sum = InternetChecksum.add(0, b, 26, 8) + 17 + 8 + payload.length;
        int checksum = InternetChecksum.finish(InternetChecksum.add(sum, b, udpAt, 8 + payload.length));
        b.setShort(udpAt + 6, checksum == 0 ? 0xffff : checksum);
        return finish(b);
    }

    /** A DHCP client message (option 53 = {@code messageType}: 1 DISCOVER, 3 REQUEST) from 0.0.0.0:68 to 255.255.255.255:67. */
    public static byte[] dhcpClient(MacAddress client, int messageType) {
        return dhcpClient(client, messageType, IPv4Address.NONE, IPv4Address.NONE);
    }

    /**
     * A DHCP client message with a requested address (option 50) and server identifier (option 54),
     * each left out when 0.0.0.0: a REQUEST in the SELECTING state names both (RFC 2131 §4.3.2).
     */
    public static byte[] dhcpClient(MacAddress client, int messageType, IPv4Address requested, IPv4Address server) {
        return udp(client, MacAddress.BROADCAST, IPv4Address.NONE, IPv4Address.NO_MASK, 68, 67,
                bootp(1, client, messageType, requested, server, null));
    }

    /** As {@link #dhcpClient(MacAddress, int, IPv4Address, IPv4Address)}, with host name option 12 (RFC 2132 §3.14). */
    public static byte[] dhcpClient(MacAddress client, int messageType, IPv4Address requested, IPv4Address server, byte[] hostName) {
        return udp(client, MacAddress.BROADCAST, IPv4Address.NONE, IPv4Address.NO_MASK, 68, 67,
                bootp(1, client, messageType, requested, server, hostName));
    }

    /** An IPv4 TCP segment with only SYN set (checksum left 0: the switch does not check it). */
    public static byte[] tcp(MacAddress src, MacAddress dst, IPv4Address sip, IPv4Address dip, int sport, int dport) {
        ByteBuf b = ethernet(dst, src, IPV4);
        ipv4Header(b, 6, 64, sip, dip, 20, 0);
        b.writeShort(sport).writeShort(dport).writeInt(1).writeInt(0).writeShort(0x5002).writeShort(65535).writeShort(0).writeShort(0);
        return finish(b);
    }

    /** An IPv6 UDP datagram with {@code payload} (checksum left 0). */
    public static byte[] udp6(MacAddress src, MacAddress dst, IPv6Address sip, IPv6Address dip, int sport, int dport, byte[] payload) {
        ByteBuf b = ethernet(dst, src, 0x86dd);
        b.writeInt(0x6000_0000).writeShort(8 + payload.length).writeByte(17).writeByte(64);
        b.writeBytes(sip.getBytes()).writeBytes(dip.getBytes());
        b.writeShort(sport).writeShort(dport).writeShort(8 + payload.length).writeShort(0).writeBytes(payload);
        return finish(b);
    }

    /** The IPv4 source and destination of a frame. */
    public static IPv4Address ipSrc(byte[] f) {
        return IPv4Address.of(Arrays.copyOfRange(f, 26, 30));
    }

    public static IPv4Address ipDst(byte[] f) {
        return IPv4Address.of(Arrays.copyOfRange(f, 30, 34));
    }

    /** The payload of an IPv4 UDP frame (by its UDP length, without padding). */
    public static byte[] udpPayload(byte[] f) {
        int udp = 14 + (f[14] & 0x0f) * 4;
        int length = ((f[udp + 4] & 0xff) << 8 | (f[udp + 5] & 0xff)) - 8;
        return Arrays.copyOfRange(f, udp + 8, udp + 8 + length);
    }

    /** Whether the IPv4 header checksum and the UDP checksum (RFC 768, 0: none) of a frame hold. */
    public static boolean checksumsHold(byte[] f) {
        ByteBuf b = Unpooled.wrappedBuffer(f);
        int ihl = (f[14] & 0x0f) * 4;
        if (InternetChecksum.finish(InternetChecksum.add(0, b, 14, ihl)) != 0) {
            return false;
        }
        int udp = 14 + ihl;
        int length = b.getUnsignedShort(udp + 4);
        if (b.getUnsignedShort(udp + 6) == 0) {
            return true;
        }
        long sum = InternetChecksum.add(0, b, 26, 8) + 17 + length;
        return InternetChecksum.finish(InternetChecksum.add(sum, b, udp, length)) == 0;
    }

    /** A DHCP server message (2 OFFER, 5 ACK) from {@code server}:67 to the client's 255.255.255.255:68. */
    public static byte[] dhcpServer(MacAddress serverMac, IPv4Address server, MacAddress client, int messageType) {
        return udp(serverMac, MacAddress.BROADCAST, server, IPv4Address.NO_MASK, 67, 68, bootp(2, client, messageType, IPv4Address.NONE, IPv4Address.NONE, null));
    }

    private static byte[] bootp(int op, MacAddress client, int messageType, IPv4Address requested, IPv4Address server,
                                byte[] hostName) {
        ByteBuf options = Unpooled.buffer(24);
        if (hostName != null) {
            options.writeByte(12).writeByte(hostName.length).writeBytes(hostName);
        }
        options.writeByte(53).writeByte(1).writeByte(messageType);
        if (!requested.equals(IPv4Address.NONE)) {
            options.writeByte(50).writeByte(4).writeBytes(requested.getBytes());
        }
        if (!server.equals(IPv4Address.NONE)) {
            options.writeByte(54).writeByte(4).writeBytes(server.getBytes());
        }
        options.writeByte(255);
        byte[] p = new byte[236 + 4 + options.readableBytes()];
        p[0] = (byte) op;
        p[1] = 1;
        p[2] = 6;
        p[4] = 0x52;
        System.arraycopy(client.getBytes(), 0, p, 28, 6);
        p[236] = 99;
        p[237] = (byte) 130;
        p[238] = 83;
        p[239] = 99;
        options.readBytes(p, 240, options.readableBytes());
        return p;
    }

    /** An IGMPv2 membership report (type 0x16) for {@code group}, TTL 1, router alert (RFC 2236 §2). */
    public static byte[] igmpReport(MacAddress src, IPv4Address srcIp, IPv4Address group) {
        return igmp(src, srcIp, group, 0x16, group);
    }

    /** An IGMP message of {@code type} to {@code dstIp}, about {@code group}. */
    public static byte[] igmp(MacAddress src, IPv4Address srcIp, IPv4Address dstIp, int type, IPv4Address group) {
        ByteBuf b = ethernet(multicastMac(dstIp), src, IPV4);
        ipv4Header(b, 2, 1, srcIp, dstIp, 8, 4);
        int at = b.writerIndex();
        b.writeByte(type).writeByte(0).writeShort(0).writeBytes(group.getBytes());
        b.setShort(at + 2, InternetChecksum.finish(InternetChecksum.add(0, b, at, 8)));
        return finish(b);
    }

    /**
     * An unsolicited neighbour advertisement (RFC 4861 §4.4, override set) to all nodes: "{@code target}
     * is at {@code src}", with a target link-layer option.
     */
    public static byte[] neighborAdvertisement(MacAddress src, IPv6Address srcIp, IPv6Address target) {
        IPv6Address dst = IPv6Address.of("ff02::1");
        ByteBuf b = ethernet(MacAddress.of("33:33:00:00:00:01"), src, IPV6);
        int icmpLength = 4 + 4 + 16 + 8;
        b.writeInt(0x6000_0000).writeShort(icmpLength).writeByte(58).writeByte(255);
        b.writeBytes(srcIp.getBytes()).writeBytes(dst.getBytes());
        int at = b.writerIndex();
        b.writeByte(136).writeByte(0).writeShort(0).writeInt(0x2000_0000).writeBytes(target.getBytes());
        b.writeByte(2).writeByte(1).writeBytes(src.getBytes());
        long sum = InternetChecksum.add(0, b, 22, 32) + icmpLength + 58;
        b.setShort(at + 2, InternetChecksum.finish(InternetChecksum.add(sum, b, at, icmpLength)));
        return finish(b);
    }

    /** A neighbour solicitation for {@code target} to its solicited-node group, with a source link-layer option. */
    public static byte[] neighborSolicitation(MacAddress src, IPv6Address srcIp, IPv6Address target) {
        byte[] t = target.getBytes();
        IPv6Address dst = IPv6Address.of(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff,
                t[13], t[14], t[15]});
        ByteBuf b = ethernet(MacAddress.of(new byte[] {0x33, 0x33, (byte) 0xff, t[13], t[14], t[15]}), src, IPV6);
        int icmpLength = 4 + 4 + 16 + 8;
        b.writeInt(0x6000_0000).writeShort(icmpLength).writeByte(58).writeByte(255);
        b.writeBytes(srcIp.getBytes()).writeBytes(dst.getBytes());
        int at = b.writerIndex();
        b.writeByte(135).writeByte(0).writeShort(0).writeInt(0).writeBytes(t);
        b.writeByte(1).writeByte(1).writeBytes(src.getBytes());
        long sum = InternetChecksum.add(0, b, 22, 32) + icmpLength + 58;
        b.setShort(at + 2, InternetChecksum.finish(InternetChecksum.add(sum, b, at, icmpLength)));
        return finish(b);
    }

    /**
     * A router solicitation (RFC 4861 §4.1) to all routers (ff02::2) with hop limit {@code hopLimit}
     * (255 on the link), with a source link-layer option unless sent from ::.
     */
    public static byte[] routerSolicitation(MacAddress src, IPv6Address srcIp, int hopLimit) {
        IPv6Address dst = IPv6Address.of("ff02::2");
        ByteBuf b = ethernet(MacAddress.of("33:33:00:00:00:02"), src, IPV6);
        boolean option = !srcIp.equals(IPv6Address.NONE);
        int icmpLength = 8 + (option ? 8 : 0);
        b.writeInt(0x6000_0000).writeShort(icmpLength).writeByte(58).writeByte(hopLimit);
        b.writeBytes(srcIp.getBytes()).writeBytes(dst.getBytes());
        int at = b.writerIndex();
        b.writeByte(133).writeByte(0).writeShort(0).writeInt(0);
        if (option) {
            b.writeByte(1).writeByte(1).writeBytes(src.getBytes());
        }
        long sum = InternetChecksum.add(0, b, 22, 32) + icmpLength + 58;
        b.setShort(at + 2, InternetChecksum.finish(InternetChecksum.add(sum, b, at, icmpLength)));
        return finish(b);
    }

    /** A frame of a local experimental EtherType (0x88b5, IEEE 802) from {@code src} to {@code dst}. */
    public static byte[] raw(MacAddress src, MacAddress dst) {
        return raw(src, dst, 0x88b5);
    }

    /** A frame of {@code etherType} with 46 zero bytes of payload (LLDP is 0x88cc, IEEE 802.1AB). */
    public static byte[] raw(MacAddress src, MacAddress dst, int etherType) {
        ByteBuf b = ethernet(dst, src, etherType);
        b.writeBytes(new byte[46]);
        return finish(b);
    }

    /** A raw broadcast frame from {@code src}. */
    public static byte[] broadcast(MacAddress src) {
        return raw(src, MacAddress.BROADCAST);
    }

    /** 01:00:5e + the low 23 bits of an IPv4 group (RFC 1112 §6.4). */
    public static MacAddress multicastMac(IPv4Address group) {
        return MacAddress.of(0x01005e000000L | (group.getInt() & 0x7fffffL));
    }

    public static MacAddress ethDst(byte[] f) {
        return MacAddress.of(Arrays.copyOfRange(f, 0, 6));
    }

    public static MacAddress ethSrc(byte[] f) {
        return MacAddress.of(Arrays.copyOfRange(f, 6, 12));
    }

    public static int ethType(byte[] f) {
        return FrameFields.u16(f, 12);
    }

    public static int arpOp(byte[] f) {
        return FrameFields.u16(f, 20);
    }

    public static MacAddress arpSha(byte[] f) {
        return MacAddress.of(Arrays.copyOfRange(f, 22, 28));
    }

    public static IPv4Address arpSpa(byte[] f) {
        return IPv4Address.of(Arrays.copyOfRange(f, 28, 32));
    }

    public static MacAddress arpTha(byte[] f) {
        return MacAddress.of(Arrays.copyOfRange(f, 32, 38));
    }

    public static IPv4Address arpTpa(byte[] f) {
        return IPv4Address.of(Arrays.copyOfRange(f, 38, 42));
    }

    /** The address a DHCP server's reply offers or grants (yiaddr, RFC 2131 §2), in an untagged IPv4 frame without options. */
    public static IPv4Address dhcpYiaddr(byte[] f) {
        return IPv4Address.of(Arrays.copyOfRange(f, 42 + 16, 42 + 20));
    }

    /** The DHCP message type (option 53) of a DHCP frame as {@link #udp} lays it out, or -1. */
    public static int dhcpMessageType(byte[] f) {
        int at = 42 + 240;
        while (at + 2 < f.length && (f[at] & 0xff) != 255) {
            if (f[at] == 0) {
                at++;
            } else if (f[at] == 53) {
                return f[at + 2] & 0xff;
            } else {
                at += 2 + (f[at + 1] & 0xff);
            }
        }
        return -1;
    }

    private static ByteBuf ethernet(MacAddress dst, MacAddress src, int ethType) {
        ByteBuf b = Unpooled.buffer(128);
        b.writeBytes(dst.getBytes()).writeBytes(src.getBytes()).writeShort(ethType);
        return b;
    }

    /** An IPv4 header at offset 14, with a router alert option (RFC 2113) when {@code optionBytes} is 4. */
    private static void ipv4Header(ByteBuf b, int proto, int ttl, IPv4Address src, IPv4Address dst, int payload,
                                   int optionBytes) {
        int ihl = 5 + optionBytes / 4;
        b.writeByte(0x40 | ihl).writeByte(0).writeShort(ihl * 4 + payload).writeShort(0).writeShort(0x4000);
        b.writeByte(ttl).writeByte(proto).writeShort(0).writeBytes(src.getBytes()).writeBytes(dst.getBytes());
        if (optionBytes == 4) {
            b.writeInt(0x9404_0000);
        }
        b.setShort(24, InternetChecksum.finish(InternetChecksum.add(0, b, 14, ihl * 4)));
    }

    private static byte[] finish(ByteBuf b) {
        while (b.writerIndex() < 60) {
            b.writeByte(0);
        }
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }
}
