package io.ringswitch.controller.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Ethernet frames carrying ARP to {@link ArpPacket} and back (RFC 826, over Ethernet II; no VLAN
 * tag, since the bridge's ports are access ports). The only class that knows ARP's byte offsets.
 */
public final class ArpCodec {
    public static final int ETH_TYPE = 0x0806;
    /** Ethernet header (14) plus the ARP body for Ethernet/IPv4 (28). */
    static final int LENGTH = 42;
    /** Short frames are padded to the Ethernet minimum (without the FCS) when sent. */
    static final int MIN_FRAME = 60;

    private ArpCodec() {
    }

    /** Whether the frame's EtherType says ARP (whatever its body holds). */
    public static boolean isArp(byte[] frame) {
        return frame.length >= 14 && ((frame[12] & 0xff) << 8 | (frame[13] & 0xff)) == ETH_TYPE;
    }

    /** Reads an ARP frame; refuses anything but Ethernet/IPv4 requests and replies of full length. */
    public static ArpPacket decode(byte[] frame) throws MalformedPacketException {
        if (!isArp(frame)) {
            throw new MalformedPacketException("not an ARP frame");
        }
        if (frame.length < LENGTH) {
            throw new MalformedPacketException("ARP frame of " + frame.length + " bytes, shorter than " + LENGTH);
        }
        ByteBuf b = Unpooled.wrappedBuffer(frame);
        if (b.getUnsignedShort(14) != 1 || b.getUnsignedShort(16) != 0x0800 || b.getUnsignedByte(18) != 6
                || b.getUnsignedByte(19) != 4) {
            throw new MalformedPacketException("ARP for other than Ethernet/IPv4 (htype " + b.getUnsignedShort(14)
                    + ", ptype " + Integer.toHexString(b.getUnsignedShort(16)) + ")");
        }
        int op = b.getUnsignedShort(20);
        if (op != ArpPacket.REQUEST && op != ArpPacket.REPLY) {
            throw new MalformedPacketException("ARP operation " + op);
        }
        MacAddress sha = mac(frame, 22);
        if (sha.isMulticast() || sha.equals(MacAddress.NONE)) {
            throw new MalformedPacketException("ARP sender hardware address " + sha);
        }
        return new ArpPacket(mac(frame, 0), mac(frame, 6), op, sha, IPv4Address.of(b.getInt(28)), mac(frame, 32),
                IPv4Address.of(b.getInt(38)));
    }

    /** The frame of an ARP message, padded to the Ethernet minimum. */
    public static byte[] encode(ArpPacket arp) {
        ByteBuf b = Unpooled.buffer(MIN_FRAME, MIN_FRAME);
        b.writeBytes(arp.ethDst().getBytes()).writeBytes(arp.ethSrc().getBytes()).writeShort(ETH_TYPE);
        b.writeShort(1).writeShort(0x0800).writeByte(6).writeByte(4).writeShort(arp.op());
        b.writeBytes(arp.sha().getBytes()).writeInt(arp.spa().getInt());
        b.writeBytes(arp.tha().getBytes()).writeInt(arp.tpa().getInt());
        b.writeZero(MIN_FRAME - LENGTH);
        return b.array();
    }

    private static MacAddress mac(byte[] frame, int at) {
        byte[] m = new byte[6];
        System.arraycopy(frame, at, m, 0, 6);
        return MacAddress.of(m);
    }
}
