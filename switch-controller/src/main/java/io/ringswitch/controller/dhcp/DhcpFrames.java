package io.ringswitch.controller.dhcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.packet.InternetChecksum;
import java.util.LinkedHashMap;
import java.util.Map;
import org.projectfloodlight.openflow.types.IPv4Address;

/** DHCP in Ethernet frames: finding a message in a frame, and the frame around a reply (RFC 2131 §4.1). */
final class DhcpFrames {
    static final int SERVER_PORT = 67;
    static final int CLIENT_PORT = 68;
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private DhcpFrames() {
    }

    /**
     * The options every answer carries (RFC 2132): message type unless 0, server identifier,
     * subnet mask, interface MTU (option 26), router and DNS servers when configured, and with a
     * lease time its renewal (T1, half) and rebinding (T2, seven eighths) times.
     */
    static Map<Integer, byte[]> options(SwitchSettings.Dhcp config, int type, int mtu, int leaseSeconds) {
        Map<Integer, byte[]> o = new LinkedHashMap<>();
        if (type != 0) {
            o.put(DhcpMessage.OPT_MESSAGE_TYPE, new byte[] {(byte) type});
        }
        o.put(DhcpMessage.OPT_SERVER_ID, bytes(config.server()));
        o.put(DhcpMessage.OPT_SUBNET_MASK, bytes((int) (0xffffffffL << (32 - config.prefix()))));
        o.put(DhcpMessage.OPT_MTU, new byte[] {(byte) (mtu >> 8), (byte) mtu});
        if (config.router() != 0) {
            o.put(DhcpMessage.OPT_ROUTER, bytes(config.router()));
        }
        if (!config.dns().isEmpty()) {
            byte[] all = new byte[4 * Math.min(config.dns().size(), 8)];
            for (int i = 0; i < all.length / 4; i++) {
                System.arraycopy(bytes(config.dns().get(i)), 0, all, 4 * i, 4);
            }
            o.put(DhcpMessage.OPT_DNS, all);
        }
        if (leaseSeconds > 0) {
            o.put(DhcpMessage.OPT_LEASE_TIME, bytes(leaseSeconds));
            o.put(DhcpMessage.OPT_RENEWAL_TIME, bytes(leaseSeconds / 2));
            o.put(DhcpMessage.OPT_REBINDING_TIME, bytes((int) (leaseSeconds * 7L / 8)));
        }
        return o;
    }

    static byte[] bytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Dotted quad of an address held as an int. */
    static String format(int ip) {
        return IPv4Address.of(ip).toString();
    }

    /** The UDP header of an untagged, unfragmented IPv4 datagram in the frame at {@code at}, or -1. */
    static int udpHeader(ByteBuf frame, int at) {
        if (frame.writerIndex() - at < 14 + 20 + 8 || frame.getUnsignedShort(at + 12) != 0x0800) {
            return -1;
        }
        int l3 = at + 14;
        int ihl = (frame.getUnsignedByte(l3) & 0x0f) * 4;
        if (frame.getUnsignedByte(l3) >> 4 != 4 || ihl < 20 || frame.getUnsignedByte(l3 + 9) != 17
                || (frame.getUnsignedShort(l3 + 6) & 0x3fff) != 0 || l3 + ihl + 8 > frame.writerIndex()) {
            return -1;
        }
        return l3 + ihl;
    }

    /** The UDP header of a datagram to the DHCP server port (a client's message), or -1. */
    static int dhcpPayload(ByteBuf frame, int at) {
        int udp = udpHeader(frame, at);
        return udp >= 0 && frame.getUnsignedShort(udp + 2) == SERVER_PORT ? udp : -1;
    }

    /** Whether the frame is a DHCP server's message to a client (UDP 67 to 68). */
    static boolean isServerReply(ByteBuf frame, int at) {
        int udp = udpHeader(frame, at);
        return udp >= 0 && frame.getUnsignedShort(udp) == SERVER_PORT && frame.getUnsignedShort(udp + 2) == CLIENT_PORT;
    }

    /**
     * A reply frame from the server to the client of {@code request}, addressed as RFC 2131 §4.1
     * says: to ciaddr when the client has one, to everyone when it asked for broadcast (or when
     * {@code broadcast}, as for a NAK), else to yiaddr at the client's MAC. IPv4 header and UDP
     * checksums are set (RFC 791 §3.1, RFC 768).
     */
    static byte[] reply(DhcpMessage request, byte[] serverMac, int server, int ciaddr, int yiaddr,
                        Map<Integer, byte[]> options, boolean broadcast) {
        boolean toAll = broadcast || request.ciaddr() == 0 && (request.flags() & DhcpMessage.FLAG_BROADCAST) != 0;
        int dstIp = toAll ? -1 : request.ciaddr() != 0 ? request.ciaddr() : yiaddr;
        ByteBuf frame = Unpooled.buffer(600);
        frame.writeBytes(toAll ? BROADCAST : request.chaddr()).writeBytes(serverMac).writeShort(0x0800);
        int l3 = frame.writerIndex();
        frame.writeZero(20 + 8);
        int length = DhcpCodec.encodeReply(request, ciaddr, yiaddr, 0, options, frame);
        frame.setByte(l3, 0x45).setShort(l3 + 2, 28 + length).setByte(l3 + 8, 64).setByte(l3 + 9, 17);
        frame.setInt(l3 + 12, server).setInt(l3 + 16, dstIp);
        frame.setShort(l3 + 10, InternetChecksum.finish(InternetChecksum.add(0, frame, l3, 20)));
        int udp = l3 + 20;
        frame.setShort(udp, SERVER_PORT).setShort(udp + 2, CLIENT_PORT).setShort(udp + 4, 8 + length);
        int checksum = InternetChecksum.finish(InternetChecksum.add(pseudoHeader(frame, l3, 8 + length), frame, udp,
                8 + length));
        frame.setShort(udp + 6, checksum == 0 ? 0xffff : checksum);
        return ByteBufUtil.getBytes(frame);
    }

    /** The sum of UDP's pseudo-header (RFC 768): source and destination address, protocol, UDP length. */
    static long pseudoHeader(ByteBuf frame, int l3, int udpLength) {
        return InternetChecksum.add(0, frame, l3 + 12, 8) + 17 + udpLength;
    }
}
