package io.ringswitch.controller.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.IPv6AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Router solicitations in Ethernet frames to {@link RouterSolicitation}, and {@link RouterAdvertisement}
 * to frames and back. The only class that knows their byte offsets: IPv6 header (RFC 8200 §3), ICMPv6
 * (RFC 4443 §2.1), the RS and RA bodies (RFC 4861 §4.1, §4.2) and the options they carry: source
 * link-layer address (§4.6.1), prefix information (§4.6.2) and MTU (§4.6.4).
 */
public final class RouterAdvertisementCodec {
    public static final int SOLICITATION = 133;
    public static final int ADVERTISEMENT = 134;
    private static final int ETH_TYPE_IPV6 = 0x86dd;
    private static final int ICMPV6 = 58;
    private static final int IP = 14;
    private static final int ICMP = IP + 40;
    private static final int OPTION_SOURCE_LL = 1;
    private static final int OPTION_PREFIX = 3;
    private static final int OPTION_MTU = 5;
    private static final int PREFIX_ON_LINK_AUTONOMOUS = 0xc0;
    /** Prefix lifetimes (RFC 4861 §6.2.1 AdvValidLifetime and AdvPreferredLifetime, their defaults). */
    private static final long PREFIX_VALID_SECONDS = 2_592_000;
    private static final long PREFIX_PREFERRED_SECONDS = 604_800;
    private static final int CUR_HOP_LIMIT = 64;

    private RouterAdvertisementCodec() {
    }

    /** Whether the frame is IPv6 carrying ICMPv6 of {@code type} (RS or RA) right after the fixed header. */
    public static boolean is(byte[] frame, int type) {
        return frame.length >= ICMP + 8 && ((frame[12] & 0xff) << 8 | (frame[13] & 0xff)) == ETH_TYPE_IPV6
                && (frame[20] & 0xff) == ICMPV6 && (frame[ICMP] & 0xff) == type;
    }

    /** Reads a router solicitation, with the validity checks of RFC 4861 §6.1.1. */
    public static RouterSolicitation decodeSolicitation(byte[] frame) throws MalformedPacketException {
        ByteBuf b = checked(frame, SOLICITATION, 8);
        IPv6Address src = NdCodec.ip(frame, IP + 8);
        MacAddress linkLayer = null;
        for (int at = ICMP + 8; at < ICMP + b.getUnsignedShort(IP + 4); at += optionLength(b, at)) {
            if (b.getUnsignedByte(at) == OPTION_SOURCE_LL && optionLength(b, at) >= 8) {
                linkLayer = NdCodec.mac(frame, at + 2);
            }
        }
        if (src.equals(IPv6Address.NONE) && linkLayer != null) {
            throw new MalformedPacketException("router solicitation from :: with a source link-layer address");
        }
        return new RouterSolicitation(NdCodec.mac(frame, 6), src, linkLayer);
    }

    /** Reads an advertisement (RFC 4861 §6.1.2 checks); options other than the three above are skipped. */
    public static RouterAdvertisement decodeAdvertisement(byte[] frame) throws MalformedPacketException {
        ByteBuf b = checked(frame, ADVERTISEMENT, 16);
        IPv6Address src = NdCodec.ip(frame, IP + 8);
        if (!IPv6AddressWithMask.of("fe80::/10").matches(src)) {
            throw new MalformedPacketException("router advertisement from " + src + ", not a link-local address");
        }
        int mtu = 0;
        IPv6AddressWithMask prefix = null;
        for (int at = ICMP + 16; at < ICMP + b.getUnsignedShort(IP + 4); at += optionLength(b, at)) {
            int type = b.getUnsignedByte(at);
            if (type == OPTION_MTU && optionLength(b, at) == 8) {
                mtu = b.getInt(at + 4);
            } else if (type == OPTION_PREFIX && optionLength(b, at) == 32 && b.getUnsignedByte(at + 2) <= 128) {
                prefix = IPv6AddressWithMask.of(NdCodec.ip(frame, at + 16), IPv6Address.ofCidrMaskLength(b.getUnsignedByte(at + 2)));
            }
        }
        return new RouterAdvertisement(NdCodec.mac(frame, 0), NdCodec.mac(frame, 6), src, NdCodec.ip(frame, IP + 24),
                Math.min(b.getUnsignedShort(ICMP + 6), RouterAdvertisement.MAX_LIFETIME_SECONDS), mtu, prefix);
    }

    /** The frame of an advertisement: hop limit 255, source link-layer address, MTU and prefix options, checksum. */
    public static byte[] encode(RouterAdvertisement ra) {
        int length = 16 + 8 + (ra.mtu() > 0 ? 8 : 0) + (ra.prefix() == null ? 0 : 32);
        ByteBuf b = Unpooled.buffer(ICMP + length, ICMP + length);
        b.writeBytes(ra.ethDst().getBytes()).writeBytes(ra.router().getBytes()).writeShort(ETH_TYPE_IPV6);
        b.writeInt(0x6000_0000).writeShort(length).writeByte(ICMPV6).writeByte(255);
        b.writeBytes(ra.src().getBytes()).writeBytes(ra.dst().getBytes());
        b.writeByte(ADVERTISEMENT).writeByte(0).writeShort(0).writeByte(CUR_HOP_LIMIT).writeByte(0)
                .writeShort(ra.lifetimeSeconds()).writeInt(0).writeInt(0);
        b.writeByte(OPTION_SOURCE_LL).writeByte(1).writeBytes(ra.router().getBytes());
        if (ra.mtu() > 0) {
            b.writeByte(OPTION_MTU).writeByte(1).writeShort(0).writeInt(ra.mtu());
        }
        if (ra.prefix() != null) {
            b.writeByte(OPTION_PREFIX).writeByte(4).writeByte(ra.prefix().getMask().asCidrMaskLength())
                    .writeByte(PREFIX_ON_LINK_AUTONOMOUS).writeInt((int) PREFIX_VALID_SECONDS).writeInt((int) PREFIX_PREFERRED_SECONDS)
                    .writeInt(0).writeBytes(ra.prefix().getValue().getBytes());
        }
        b.setShort(ICMP + 2, NdCodec.checksum(b, ra.src(), ra.dst(), ICMP, length));
        return b.array();
    }

    /** The IPv6 and ICMPv6 checks RS and RA share: version, length, hop limit 255, code 0, checksum, option lengths. */
    private static ByteBuf checked(byte[] frame, int type, int fixed) throws MalformedPacketException {
        if (!is(frame, type)) {
            throw new MalformedPacketException("not an ICMPv6 message of type " + type);
        }
        ByteBuf b = Unpooled.wrappedBuffer(frame);
        if ((b.getUnsignedByte(IP) >>> 4) != 6) {
            throw new MalformedPacketException("IP version " + (b.getUnsignedByte(IP) >>> 4) + " in an IPv6 frame");
        }
        int length = b.getUnsignedShort(IP + 4);
        if (length < fixed || ICMP + length > frame.length) {
            throw new MalformedPacketException("ICMPv6 length " + length + " in a frame of " + frame.length + " bytes");
        }
        if (b.getUnsignedByte(IP + 7) != 255) {
            throw new MalformedPacketException("hop limit " + b.getUnsignedByte(IP + 7) + ", not 255");
        }
        if (b.getUnsignedByte(ICMP + 1) != 0) {
            throw new MalformedPacketException("ICMPv6 code " + b.getUnsignedByte(ICMP + 1));
        }
        if (NdCodec.checksum(b, NdCodec.ip(frame, IP + 8), NdCodec.ip(frame, IP + 24), ICMP, length) != 0) {
            throw new MalformedPacketException("bad ICMPv6 checksum");
        }
        for (int at = ICMP + fixed; at < ICMP + length; ) {
            if (at + 2 > ICMP + length) {
                throw new MalformedPacketException("truncated option");
            }
            int optionLength = optionLength(b, at);
            if (optionLength == 0 || at + optionLength > ICMP + length) {
                throw new MalformedPacketException("option of length " + optionLength);
            }
            at += optionLength;
        }
        return b;
    }

    private static int optionLength(ByteBuf b, int at) {
        return b.getUnsignedByte(at + 1) * 8;
    }
}
