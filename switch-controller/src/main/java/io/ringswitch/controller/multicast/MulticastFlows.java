package io.ringswitch.controller.multicast;

import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.FloodGroup;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.Tables;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.IPv6AddressWithMask;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U8;

/**
 * The multicast manager's flows, groups and packet-outs as OpenFlow 1.3 messages: a pure
 * translation from intent (punt membership from this port, send this IP group to its group) to
 * FLOW_MOD, GROUP_MOD (OpenFlow 1.3.5 §7.3.4.2, type ALL: every bucket gets a copy) and
 * PACKET_OUT (§7.3.7).
 */
final class MulticastFlows {
    /** PUNT: IGMP and MLD from one local port to the controller, under its packet-in meter. */
    static final int PUNT_PORT = 420;
    /** PUNT: IGMP and MLD from anywhere else (the overlay port, a port not yet listed) go nowhere. */
    static final int PUNT_DROP = 400;
    /** MULTICAST: link-local groups reach every port but the ingress one. */
    static final int LINK_LOCAL = 300;
    /** MULTICAST: a group with members here goes to its OpenFlow group. */
    static final int GROUP = 200;
    /** MULTICAST: from the overlay port, a group without members here goes nowhere. */
    static final int FROM_OVERLAY = 100;
    /** MULTICAST: from a local port, a group without members here goes to the overlay port only. */
    static final int TO_OVERLAY = 50;

    /** MLD message types (RFC 2710 §3.1, RFC 3810 §5): query, v1 report, v1 done, v2 report. */
    private static final int[] MLD_TYPES = {MldCodec.QUERY, MldCodec.V1_REPORT, MldCodec.V1_DONE, MldCodec.V2_REPORT};

    private final OFFactory of;
    private final Flows flows;

    MulticastFlows(OFFactory of) {
        this.of = of;
        this.flows = new Flows(of, Cookies.MULTICAST);
    }

    private Match.Builder igmp() {
        return of.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4).setExact(MatchField.IP_PROTO, IpProtocol.IGMP);
    }

    private Match.Builder mld(int type) {
        return of.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv6)
                .setExact(MatchField.IP_PROTO, IpProtocol.IPv6_ICMP).setExact(MatchField.ICMPV6_TYPE, U8.of((short) type));
    }

    private List<Match> membership(OFPort port) {
        List<Match> matches = new ArrayList<>(1 + MLD_TYPES.length);
        Match.Builder igmp = igmp();
        matches.add((port == null ? igmp : igmp.setExact(MatchField.IN_PORT, port)).build());
        for (int type : MLD_TYPES) {
            Match.Builder mld = mld(type);
            matches.add((port == null ? mld : mld.setExact(MatchField.IN_PORT, port)).build());
        }
        return matches;
    }

    /** IGMP and MLD from a local port: to the controller and nowhere else. */
    List<OFMessage> punt(OFPort port) {
        List<OFMessage> out = new ArrayList<>();
        for (Match m : membership(port)) {
            out.add(flows.add(Tables.PUNT, PUNT_PORT, m, List.of(flows.toController()), null, Meters.packetIn(port), 0));
        }
        return out;
    }

    /** The port left: its punt flows go. */
    List<OFMessage> unpunt(OFPort port) {
        return membership(port).stream().map(m -> flows.deleteStrict(Tables.PUNT, PUNT_PORT, m)).toList();
    }

    /** IGMP and MLD from any other port (the overlay port above all): dropped, so membership never crosses the ring. */
    List<OFMessage> puntDrops() {
        return membership(null).stream().map(m -> flows.add(Tables.PUNT, PUNT_DROP, m, List.of(), null)).toList();
    }

    /** 224.0.0.0/24, ff01::/16 and ff02::/16: to every local port and the overlay port but the ingress one ({@link FloodGroup}). */
    List<OFMessage> linkLocal() {
        List<OFAction> all = List.of(FloodGroup.action(of));
        return List.of(
                flows.add(Tables.MULTICAST, LINK_LOCAL, of.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4)
                        .setMasked(MatchField.IPV4_DST, IPv4AddressWithMask.of("224.0.0.0/24")).build(), all, null),
                flows.add(Tables.MULTICAST, LINK_LOCAL, v6(IPv6AddressWithMask.of("ff01::/16")), all, null),
                flows.add(Tables.MULTICAST, LINK_LOCAL, v6(IPv6AddressWithMask.of("ff02::/16")), all, null));
    }

    private Match v6(IPv6AddressWithMask prefix) {
        return of.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv6).setMasked(MatchField.IPV6_DST, prefix).build();
    }

    private List<Match> overlayMatches(OFPort overlay) {
        return List.of(of.buildMatch().setExact(MatchField.IN_PORT, overlay).build(),
                of.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4).build(),
                of.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv6).build());
    }

    /** Groups without members here: from the overlay port nowhere, from a local port to the overlay port only. */
    List<OFMessage> overlay(OFPort overlay) {
        List<Match> m = overlayMatches(overlay);
        List<OFAction> toOverlay = List.of(flows.output(overlay));
        return List.of(flows.add(Tables.MULTICAST, FROM_OVERLAY, m.get(0), List.of(), null),
                flows.add(Tables.MULTICAST, TO_OVERLAY, m.get(1), toOverlay, null),
                flows.add(Tables.MULTICAST, TO_OVERLAY, m.get(2), toOverlay, null));
    }

    /** The overlay port left: the flows {@link #overlay} wrote go. */
    List<OFMessage> noOverlay(OFPort overlay) {
        List<Match> m = overlayMatches(overlay);
        return List.of(flows.deleteStrict(Tables.MULTICAST, FROM_OVERLAY, m.get(0)),
                flows.deleteStrict(Tables.MULTICAST, TO_OVERLAY, m.get(1)),
                flows.deleteStrict(Tables.MULTICAST, TO_OVERLAY, m.get(2)));
    }

    /** The match of one IP group's frames. */
    Match groupMatch(InetAddress group) {
        return group instanceof Inet4Address
                ? of.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4)
                        .setExact(MatchField.IPV4_DST, IPv4Address.of(group.getAddress())).build()
                : of.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv6)
                        .setExact(MatchField.IPV6_DST, IPv6Address.of(group.getAddress())).build();
    }

    /** The flow that sends an IP group's frames to its OpenFlow group. */
    OFMessage groupFlow(InetAddress group, int id) {
        return flows.add(Tables.MULTICAST, GROUP, groupMatch(group), List.of(of.actions().group(OFGroup.of(id))), null);
    }

    OFMessage groupFlowDelete(InetAddress group) {
        return flows.deleteStrict(Tables.MULTICAST, GROUP, groupMatch(group));
    }

    private List<OFBucket> buckets(Collection<OFPort> ports) {
        return ports.stream().map(p -> of.buildBucket().setActions(List.of(flows.output(p)))
                .setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.ANY).build()).toList();
    }

    /** A group of type ALL with a bucket per port. */
    OFMessage groupAdd(int id, Collection<OFPort> ports) {
        return of.buildGroupAdd().setGroup(OFGroup.of(id)).setGroupType(OFGroupType.ALL).setBuckets(buckets(ports)).build();
    }

    OFMessage groupModify(int id, Collection<OFPort> ports) {
        return of.buildGroupModify().setGroup(OFGroup.of(id)).setGroupType(OFGroupType.ALL).setBuckets(buckets(ports))
                .build();
    }

    /** Deletes a group and, as OpenFlow 1.3.5 §6.5 says, the flows that send to it; no error when it is absent. */
    OFMessage groupDelete(int id) {
        return of.buildGroupDelete().setGroup(OFGroup.of(id)).setGroupType(OFGroupType.ALL).build();
    }

    /** A frame the controller sends out of these ports, as from the controller. */
    OFMessage packetOut(byte[] frame, Collection<OFPort> ports) {
        return of.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                .setActions(ports.stream().map(flows::output).toList()).setData(frame).build();
    }
}
