package io.ringswitch.controller.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.controller.packet.InternetChecksum;
import io.ringswitch.controller.packet.MalformedPacketException;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The Ethernet, IPv4 (RFC 791) and UDP (RFC 768) around a DNS message: where a query's message sits
 * in a frame, the frame of an answer, and a query re-addressed to a gateway. Untagged frames only.
 */
final class DnsFrames {
    static final int ETH = 14;
    static final int PORT = 53;

    private DnsFrames() {
    }

    /** Where a UDP datagram's payload sits in an IPv4 frame. */
    record Located(int ipAt, int udpAt, int payloadAt, int payloadLength) {
    }

    /** Finds the DNS message of an IPv4/UDP frame to port 53; refuses fragments and lengths past the frame. */
    static Located locate(byte[] frame) throws MalformedPacketException {
        if (frame.length < ETH + 20 + 8) {
            throw new MalformedPacketException("frame of " + frame.length + " bytes: no IPv4/UDP header");
        }
        ByteBuf b = Unpooled.wrappedBuffer(frame);
        if (b.getUnsignedShort(12) != 0x0800 || (b.getUnsignedByte(ETH) >>> 4) != 4) {
            throw new MalformedPacketException("not IPv4");
        }
        int ihl = (b.getUnsignedByte(ETH) & 0xf) * 4;
        int total = b.getUnsignedShort(ETH + 2);
        if (ihl < 20 || total < ihl + 8 || ETH + total > frame.length) {
            throw new MalformedPacketException("IPv4 header length " + ihl + " or total length " + total + " past the frame");
        }
        if ((b.getUnsignedShort(ETH + 6) & 0x3fff) != 0) {
            throw new MalformedPacketException("an IPv4 fragment");
        }
        if (b.getUnsignedByte(ETH + 9) != 17) {
            throw new MalformedPacketException("not UDP");
        }
        int udp = ETH + ihl;
        int udpLength = b.getUnsignedShort(udp + 4);
        if (udpLength < 8 || udp + udpLength > ETH + total) {
            throw new MalformedPacketException("UDP length " + udpLength + " past the IPv4 packet");
        }
        if (b.getUnsignedShort(udp + 2) != PORT) {
            throw new MalformedPacketException("UDP to port " + b.getUnsignedShort(udp + 2) + ", not 53");
        }
        return new Located(ETH, udp, udp + 8, udpLength - 8);
    }

    /** The frame that carries {@code message} from the router back to the query's sender. */
    static byte[] reply(byte[] query, Located q, MacAddress siteMac, IPv4Address router, byte[] message) {
        ByteBuf in = Unpooled.wrappedBuffer(query);
        int udpLength = 8 + message.length;
        ByteBuf b = Unpooled.buffer(ETH + 20 + udpLength);
        b.writeBytes(query, 6, 6).writeBytes(siteMac.getBytes()).writeShort(0x0800);
        b.writeByte(0x45).writeByte(0).writeShort(20 + udpLength).writeShort(0).writeShort(0x4000).writeByte(64).writeByte(17)
                .writeShort(0).writeInt(router.getInt()).writeInt(in.getInt(q.ipAt() + 12));
        b.writeShort(PORT).writeShort(in.getUnsignedShort(q.udpAt())).writeShort(udpLength).writeShort(0).writeBytes(message);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        checksums(out, ETH, ETH + 20);
        return out;
    }

    /** A copy of the query sent to {@code mac}/{@code ip} instead of the router, its checksums made right again. */
    static byte[] readdressed(byte[] query, Located q, MacAddress mac, IPv4Address ip) {
        byte[] out = query.clone();
        System.arraycopy(mac.getBytes(), 0, out, 0, 6);
        System.arraycopy(ip.getBytes(), 0, out, q.ipAt() + 16, 4);
        checksums(out, q.ipAt(), q.udpAt());
        return out;
    }

    /** Sets the IPv4 header checksum (RFC 791 §3.1) and the UDP checksum over its pseudo-header (RFC 768). */
    private static void checksums(byte[] frame, int ip, int udp) {
        ByteBuf b = Unpooled.wrappedBuffer(frame);
        int ihl = (b.getUnsignedByte(ip) & 0xf) * 4;
        b.setShort(ip + 10, 0);
        b.setShort(ip + 10, InternetChecksum.finish(InternetChecksum.add(0, b, ip, ihl)));
        int udpLength = b.getUnsignedShort(udp + 4);
        b.setShort(udp + 6, 0);
        long sum = InternetChecksum.add(0, b, ip + 12, 8) + 17 + udpLength;
        int checksum = InternetChecksum.finish(InternetChecksum.add(sum, b, udp, udpLength));
        b.setShort(udp + 6, checksum == 0 ? 0xffff : checksum);
    }
}
