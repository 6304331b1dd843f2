package io.ringswitch.controller.dhcp;

import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The actions that turn an ARP request for the server's address into its reply in place, as
 * OVN's ARP responder does (ovn-northd's ls_in_arp_rsp): the requester becomes the destination,
 * the server's MAC and address the sender, and the frame leaves by the port it came in on. Nicira
 * register moves (NXAST_REG_MOVE) copy the requester's fields; the NXM headers are those of
 * OVS's meta-flow (nicira-ext.h).
 */
final class ServerArpReply {
    /** NXM_HEADER(vendor, field, length) = vendor << 16 | field << 9 | length. */
    static final long NXM_OF_ETH_DST = 0x0000_0206L;
    static final long NXM_OF_ETH_SRC = 0x0000_0406L;
    static final long NXM_OF_ARP_SPA = 0x0000_2004L;
    static final long NXM_OF_ARP_TPA = 0x0000_2204L;
    static final long NXM_NX_ARP_SHA = 0x0001_2206L;
    static final long NXM_NX_ARP_THA = 0x0001_2406L;

    private ServerArpReply() {
    }

    static List<OFAction> actions(OFFactory of, MacAddress mac, IPv4Address ip) {
        return List.of(
                move(of, NXM_OF_ETH_SRC, NXM_OF_ETH_DST, 48),
                of.actions().setField(of.oxms().ethSrc(mac)),
                of.actions().setField(of.oxms().arpOp(ArpOpcode.REPLY)),
                move(of, NXM_NX_ARP_SHA, NXM_NX_ARP_THA, 48),
                of.actions().setField(of.oxms().arpSha(mac)),
                move(of, NXM_OF_ARP_SPA, NXM_OF_ARP_TPA, 32),
                of.actions().setField(of.oxms().arpSpa(ip)),
                of.actions().output(OFPort.IN_PORT, 0));
    }

    private static OFAction move(OFFactory of, long src, long dst, int bits) {
        return of.actions().buildNiciraMove().setSrc(src).setDst(dst).setNBits(bits).setSrcOfs(0).setDstOfs(0).build();
    }
}
