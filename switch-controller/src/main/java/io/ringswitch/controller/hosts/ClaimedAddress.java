package io.ringswitch.controller.hosts;

import io.ringswitch.controller.packet.ArpCodec;
import io.ringswitch.controller.packet.ArpPacket;
import io.ringswitch.controller.packet.MalformedPacketException;
import io.ringswitch.controller.packet.NdCodec;
import io.ringswitch.controller.packet.NdMessage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;

/**
 * The address a frame from a host claims, read from the field that port security checks: an ARP
 * sender address, an IPv4 source, an IPv6 neighbour solicitation's source, or the target of a
 * neighbour advertisement or of a duplicate address detection probe from ::. Frames that claim nothing (an ARP probe from 0.0.0.0, a
 * link-local IPv6 source, other EtherTypes) give null.
 */
final class ClaimedAddress {
    private static final int ETH_TYPE_IPV4 = 0x0800;

    private ClaimedAddress() {
    }

    static InetAddress of(byte[] frame) throws MalformedPacketException {
        if (frame.length < 14) {
            throw new MalformedPacketException("frame of " + frame.length + " bytes");
        }
        if (ArpCodec.isArp(frame)) {
            ArpPacket arp = ArpCodec.decode(frame);
            return arp.spa().equals(IPv4Address.NONE) ? null : inet(arp.spa().getBytes());
        }
        int type = (frame[12] & 0xff) << 8 | (frame[13] & 0xff);
        if (type == ETH_TYPE_IPV4) {
            if (frame.length < 34 || (frame[14] & 0xf0) != 0x40) {
                throw new MalformedPacketException("IPv4 header cut short or of another version");
            }
            IPv4Address src = IPv4Address.of(Arrays.copyOfRange(frame, 26, 30));
            return src.equals(IPv4Address.NONE) || src.isBroadcast() || src.isMulticast() ? null : inet(src.getBytes());
        }
        if (NdCodec.isNd(frame)) {
            NdMessage nd = NdCodec.decode(frame);
            // A DAD probe claims its target, and so does every advertisement ("the target is at my MAC").
            IPv6Address claimed = nd.dadProbe() || nd.type() == NdMessage.ADVERTISEMENT ? nd.target() : nd.src();
            return claimed.isLinkLocal() ? null : inet(claimed.getBytes());
        }
        return null;
    }

    private static InetAddress inet(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
