package io.ringswitch.controller.arp;

import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Tables;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The ARP responder flow (OVN's ls_in_arp_rsp): an ARP request for {@code ip} is turned into the
 * reply from {@code mac} in place and sent back out of the port it came in on, so the switch
 * answers without the controller or the owner. The request's fields are moved with Nicira
 * NXAST_REG_MOVE (OVS's "move" action; Loxi's OFActionNiciraMove) and the rest set with OpenFlow
 * 1.3 set-field (§7.2.5):
 * <pre>
 * match: eth_type=0x0806, arp_op=1, arp_tpa=IP
 * move eth_src->eth_dst, eth_src=MAC, arp_op=2, move arp_sha->arp_tha, arp_sha=MAC,
 * move arp_spa->arp_tpa, arp_spa=IP, output IN_PORT
 * </pre>
 * Public and static because the DHCP server answers ARP for its own address with the same flow.
 */
public final class ArpReplyFlows {
    /** Nicira NXM headers (vendor, field, length), as OVS's nx-match.h defines them. */
    static final long NXM_OF_ETH_DST = nxm(0, 1, 6);
    static final long NXM_OF_ETH_SRC = nxm(0, 2, 6);
    static final long NXM_OF_ARP_SPA = nxm(0, 16, 4);
    static final long NXM_OF_ARP_TPA = nxm(0, 17, 4);
    static final long NXM_NX_ARP_SHA = nxm(1, 17, 6);
    static final long NXM_NX_ARP_THA = nxm(1, 18, 6);

    private ArpReplyFlows() {
    }

    /** ARP requests for {@code ip}, from any port. */
    public static Match match(OFFactory of, IPv4Address ip) {
        return of.buildMatch().setExact(MatchField.ETH_TYPE, EthType.ARP).setExact(MatchField.ARP_OP, ArpOpcode.REQUEST)
                .setExact(MatchField.ARP_TPA, ip).build();
    }

    /** The actions that turn a request for {@code ip} into the reply from {@code mac} and send it back. */
    public static List<OFAction> actions(OFFactory of, IPv4Address ip, MacAddress mac) {
        return List.of(move(of, NXM_OF_ETH_SRC, NXM_OF_ETH_DST, 48),
                of.actions().setField(of.oxms().ethSrc(mac)),
                of.actions().setField(of.oxms().arpOp(ArpOpcode.REPLY)),
                move(of, NXM_NX_ARP_SHA, NXM_NX_ARP_THA, 48),
                of.actions().setField(of.oxms().arpSha(mac)),
                move(of, NXM_OF_ARP_SPA, NXM_OF_ARP_TPA, 32),
                of.actions().setField(of.oxms().arpSpa(ip)),
                of.actions().output(OFPort.IN_PORT, 0));
    }

    /** The responder flow in table PUNT under {@code flows}' cookie (idle timeout 0: for good). */
    public static OFMessage reply(Flows flows, int priority, IPv4Address ip, MacAddress mac, int idleSeconds) {
        OFFactory of = flows.factory();
        return flows.add(Tables.PUNT, priority, match(of, ip), actions(of, ip, mac), null, 0, idleSeconds);
    }

    private static OFAction move(OFFactory of, long src, long dst, int bits) {
        return of.actions().buildNiciraMove().setSrc(src).setDst(dst).setSrcOfs(0).setDstOfs(0).setNBits(bits).build();
    }

    private static long nxm(int vendor, int field, int length) {
        return ((long) vendor << 16) | ((long) field << 9) | length;
    }
}
