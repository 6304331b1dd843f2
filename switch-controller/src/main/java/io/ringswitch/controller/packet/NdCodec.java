package io.ringswitch.controller.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Ethernet frames carrying IPv6 neighbour discovery to {@link NdMessage}, and the neighbour
 * advertisement that answers a solicitation. The only class that knows ND's byte offsets: IPv6
 * header (RFC 8200 §3), ICMPv6 (RFC 4443 §2.1), NS/NA bodies and the link-layer address options
 * (RFC 4861 §4.3, §4.4, §4.6.1). Extension headers are not followed: ND never carries them.
 */
public final class NdCodec {
    public static final int ETH_TYPE_IPV6 = 0x86dd;
    public static final int ICMPV6 = 58;
    private static final int IP = 14;
    private static final int ICMP = IP + 40;
    private static final int OPTION_SOURCE_LL = 1;
    private static final int OPTION_TARGET_LL = 2;
    private static final IPv6Address ALL_NODES = IPv6Address.of("ff02::1");
    private static final MacAddress ALL_NODES_MAC = MacAddress.of("33:33:00:00:00:01");

    private NdCodec() {
    }

    /** Whether the frame is IPv6 carrying ICMPv6 of type NS or NA right after the fixed header. */
    public static boolean isNd(byte[] frame) {
        if (frame.length < ICMP + 1 || ((frame[12] & 0xff) << 8 | (frame[13] & 0xff)) != ETH_TYPE_IPV6
                || (frame[20] & 0xff) != ICMPV6) {
            return false;
        }
        int type = frame[ICMP] & 0xff;
        return type == NdMessage.SOLICITATION || type == NdMessage.ADVERTISEMENT;
    }

    /** Reads a solicitation or advertisement, with the validity checks of RFC 4861 §7.1.1 and §7.1.2. */
    public static NdMessage decode(byte[] frame) throws MalformedPacketException {
        if (!isNd(frame)) {
            throw new MalformedPacketException("not a neighbour discovery frame");
        }
        ByteBuf b = Unpooled.wrappedBuffer(frame);
        if ((b.getUnsignedByte(IP) >>> 4) != 6) {
            throw new MalformedPacketException("IP version " + (b.getUnsignedByte(IP) >>> 4) + " in an IPv6 frame");
        }
        int length = b.getUnsignedShort(IP + 4);
        if (length < 24 || ICMP + length > frame.length) {
            throw new MalformedPacketException("ND payload length " + length + " in a frame of " + frame.length + " bytes");
        }
        if (b.getUnsignedByte(IP + 7) != 255) {
            throw new MalformedPacketException("ND hop limit " + b.getUnsignedByte(IP + 7) + ", not 255");
        }
        if (b.getUnsignedByte(ICMP + 1) != 0) {
            throw new MalformedPacketException("ND code " + b.getUnsignedByte(ICMP + 1));
        }
        IPv6Address src = ip(frame, IP + 8);
        IPv6Address dst = ip(frame, IP + 24);
        if (checksum(b, src, dst, ICMP, length) != 0) {
            throw new MalformedPacketException("bad ICMPv6 checksum");
        }
        int type = b.getUnsignedByte(ICMP);
        IPv6Address target = ip(frame, ICMP + 8);
        if (target.isMulticast()) {
            throw new MalformedPacketException("multicast ND target " + target);
        }
        MacAddress linkLayer = null;
        int wanted = type == NdMessage.SOLICITATION ? OPTION_SOURCE_LL : OPTION_TARGET_LL;
        for (int at = ICMP + 24; at < ICMP + length; ) {
            if (at + 2 > ICMP + length) {
                throw new MalformedPacketException("truncated ND option");
            }
            int optionLength = b.getUnsignedByte(at + 1) * 8;
            if (optionLength == 0 || at + optionLength > ICMP + length) {
                throw new MalformedPacketException("ND option of length " + optionLength);
            }
            if (b.getUnsignedByte(at) == wanted && optionLength >= 8) {
                linkLayer = mac(frame, at + 2);
            }
            at += optionLength;
        }
        if (src.equals(IPv6Address.NONE)) {
            if (type != NdMessage.SOLICITATION || linkLayer != null || !solicitedNode(dst)) {
                throw new MalformedPacketException("ND from :: that is not a DAD solicitation");
            }
        }
        int flags = type == NdMessage.ADVERTISEMENT ? b.getUnsignedByte(ICMP + 4) & 0xe0 : 0;
        return new NdMessage(mac(frame, 0), mac(frame, 6), src, dst, type, flags, target, linkLayer);
    }

    /**
     * The advertisement by which {@code mac} answers {@code solicitation} for its target (RFC 4861
     * §7.2.4): to the solicitor with the solicited and override flags, or to all nodes with override
     * only when the solicitation came from :: (DAD); hop limit 255; a target link-layer address option.
     */
    public static byte[] advertisement(NdMessage solicitation, MacAddress mac) {
        boolean dad = solicitation.dadProbe();
        IPv6Address dst = dad ? ALL_NODES : solicitation.src();
        MacAddress ethDst = dad ? ALL_NODES_MAC
                : solicitation.linkLayer() != null ? solicitation.linkLayer() : solicitation.ethSrc();
        int flags = dad ? NdMessage.OVERRIDE : NdMessage.SOLICITED | NdMessage.OVERRIDE;
        return encode(new NdMessage(ethDst, mac, solicitation.target(), dst, NdMessage.ADVERTISEMENT, flags,
                solicitation.target(), mac));
    }

    /** The frame of a solicitation or advertisement with its link-layer option (when set) and checksum. */
    public static byte[] encode(NdMessage nd) {
        int length = 24 + (nd.linkLayer() == null ? 0 : 8);
        ByteBuf b = Unpooled.buffer(ICMP + length, ICMP + length);
        b.writeBytes(nd.ethDst().getBytes()).writeBytes(nd.ethSrc().getBytes()).writeShort(ETH_TYPE_IPV6);
        b.writeInt(0x6000_0000).writeShort(length).writeByte(ICMPV6).writeByte(255);
        b.writeBytes(nd.src().getBytes()).writeBytes(nd.dst().getBytes());
        b.writeByte(nd.type()).writeByte(0).writeShort(0).writeByte(nd.flags()).writeZero(3);
        b.writeBytes(nd.target().getBytes());
        if (nd.linkLayer() != null) {
            int option = nd.type() == NdMessage.SOLICITATION ? OPTION_SOURCE_LL : OPTION_TARGET_LL;
            b.writeByte(option).writeByte(1).writeBytes(nd.linkLayer().getBytes());
        }
        b.setShort(ICMP + 2, checksum(b, nd.src(), nd.dst(), ICMP, length));
        return b.array();
    }

    /** The ICMPv6 checksum over the IPv6 pseudo-header (RFC 8200 §8.1) and the message; 0 when it verifies. */
    static int checksum(ByteBuf b, IPv6Address src, IPv6Address dst, int at, int length) {
        ByteBuf pseudo = Unpooled.buffer(40);
        pseudo.writeBytes(src.getBytes()).writeBytes(dst.getBytes()).writeInt(length).writeInt(ICMPV6);
        long sum = InternetChecksum.add(0, pseudo, 0, 40);
        return InternetChecksum.finish(InternetChecksum.add(sum, b, at, length));
    }

    /** ff02::1:ffXX:XXXX (RFC 4291 §2.7.1). */
    private static boolean solicitedNode(IPv6Address dst) {
        byte[] a = dst.getBytes();
        for (int i = 2; i < 11; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[0] & 0xff) == 0xff && a[1] == 0x02 && a[11] == 1 && (a[12] & 0xff) == 0xff;
    }

    static IPv6Address ip(byte[] frame, int at) {
        byte[] a = new byte[16];
        System.arraycopy(frame, at, a, 0, 16);
        return IPv6Address.of(a);
    }

    static MacAddress mac(byte[] frame, int at) {
        byte[] m = new byte[6];
        System.arraycopy(frame, at, m, 0, 6);
        return MacAddress.of(m);
    }
}
