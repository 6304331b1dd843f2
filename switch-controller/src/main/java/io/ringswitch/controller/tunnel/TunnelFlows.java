package io.ringswitch.controller.tunnel;

import io.ringswitch.controller.api.GatewayDirectory.Gateway;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.api.SwitchSettings.GatewayPort;
import io.ringswitch.controller.api.SwitchSettings.Tunnel;
import io.ringswitch.controller.arp.ArpReplyFlows;
import io.ringswitch.controller.packet.NdMessage;
import io.ringswitch.controller.packet.RouterAdvertisementCodec;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.FloodGroup;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.Tables;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
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
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;

/**
 * The tunnel manager's flows, a pure translation from its settings, ports and chosen gateway to
 * FLOW_MODs under the TUNNEL cookie (sub-cookies for the flows a switch counter counts).
 *
 * <pre>
 * table 0 PORT_SECURITY (above every other manager's flows: port security tops out at 1000)
 * 1310 in_port=uplink, eth_dst=H, arp|ip          output H's port            (allowLan only, H a bound host MAC)
 * 1300 in_port=local, arp                         output uplink
 * 1300 in_port=local, udp, udp_src=U              output uplink              (each of the node's UDP ports)
 * 1300 in_port=local, tcp, tcp_src=T | tcp_dst=T  output uplink              (each of the node's TCP ports)
 * 1300 in_port=local, udp|tcp dst 53, ip_dst=R    output uplink              (each underlay resolver R)
 * 1300 in_port=local, udp 68 -> 67                output uplink              (the node's own DHCP client, if its
 *                                                                            underlay address is leased)
 * 1300 in_port=gwport, eth_src=GWPORT_MAC         goto PUNT                  (at a gateway: any IP source)
 * 1300 in_port=overlay, udp, ip_src=GW, udp_src=53   set ip_src=router, eth_src=site MAC, goto PUNT
 *                                                 (DNS replies of the chosen gateway, as if from the router)
 * 1200 in_port=uplink                             output local               (the node's stack sees everything)
 * 1200 in_port=local                              drop   [tunnel_local_dropped]  (IPv6 included)
 * 1200 in_port=gwport                             drop   [tunnel_gateway_spoof_dropped]
 * table 1 PUNT (full mode)
 *  320 in_port=H, arp, arp_tpa=LAN                output uplink              (allowLan only, H a host port)
 *  265 in_port=H, icmpv6 133 (router solicitation)   controller, metered     (answered with a router advertisement)
 *  265 in_port=H, icmpv6 135, nd_target=LL         controller, metered     (the site MAC's link-local address, the
 *                                                                            hosts' IPv6 router: answered with the site MAC)
 *  260 arp request for the router address         reply from the site MAC    (unless the DHCP server already does)
 *   51 eth_dst=site, ip, ip_dst=VPN               drop   [tunnel_site_mac_dropped]
 *   51 eth_dst=site, ipv6, ipv6_dst=fe80::/10|ff00::/8   drop   [tunnel_site_mac_dropped]
 *   50 eth_dst=site, ip                           eth_dst=GW_MAC, output overlay  [tunnel_to_gateway]
 *                                                 or drop while no gateway        [tunnel_fail_closed]
 *   50 eth_dst=site, ipv6                         the same when CARRY and the gateway carries IPv6;
 *                                                 else drop  [tunnel_ipv6_dropped / tunnel_fail_closed]
 *   49 in_port=H, ip, ip_dst=LAN                  output uplink              (allowLan only)
 *    2 eth_dst=site                               drop   [tunnel_site_mac_dropped]  (any other EtherType)
 * table 2 L2_LOOKUP (at a gateway)
 *  400 eth_dst=GWPORT_MAC                         output gwport
 *   10 in_port=gwport                             meter flood(gwport), group FLOOD   (a client MAC not learned yet,
 *                                                                              as a host port's flood flow)
 * </pre>
 * Nothing else outputs to the uplink: the flood group and every other manager's flows leave the
 * infrastructure ports out, so a host's frame that no flow above takes can never reach it.
 */
final class TunnelFlows {
    static final int LAN_IN = 1310;
    static final int PASS = 1300;
    static final int INFRA = 1200;
    static final int LAN_ARP_OUT = 320;
    static final int ROUTER_ND = 265;
    static final int ROUTER_ARP = 260;
    static final int SITE_INSIDE = 51;
    static final int STEER = 50;
    static final int LAN_OUT = 49;
    static final int SITE_ANY = 2;
    static final int TO_GATEWAY_PORT = 400;
    static final int GATEWAY_FLOOD = 10;

    static final U64 TO_GATEWAY = Cookies.sub(Cookies.TUNNEL, 1);
    static final U64 FAIL_CLOSED = Cookies.sub(Cookies.TUNNEL, 2);
    static final U64 LOCAL_DROPPED = Cookies.sub(Cookies.TUNNEL, 3);
    static final U64 SITE_MAC_DROPPED = Cookies.sub(Cookies.TUNNEL, 4);
    static final U64 IPV6_DROPPED = Cookies.sub(Cookies.TUNNEL, 5);
    static final U64 GATEWAY_SPOOF = Cookies.sub(Cookies.TUNNEL, 6);

    private static final IPv6AddressWithMask LINK_LOCAL = IPv6AddressWithMask.of("fe80::/10");
    private static final IPv6AddressWithMask MULTICAST = IPv6AddressWithMask.of("ff00::/8");

    private final OFFactory of;
    private final Flows plain;
    private final Tunnel tunnel;
    private final GatewayPort gatewayPort;
    private final MacAddress siteMac;
    private final IPv4Address router;
    private final SwitchSettings.Dhcp dhcp;

    TunnelFlows(OFFactory of, SwitchSettings settings) {
        this.of = of;
        this.plain = new Flows(of, Cookies.TUNNEL);
        this.tunnel = settings.tunnel();
        this.gatewayPort = settings.gateway();
        this.siteMac = settings.siteMac();
        this.router = IPv4Address.of(tunnel.router());
        this.dhcp = settings.dhcp();
    }

    /** The uplink and the underlay port: only the node's own traffic between them. */
    List<OFMessage> underlay(OFPort uplink, OFPort local) {
        List<OFMessage> out = new ArrayList<>();
        List<OFAction> toUplink = List.of(plain.output(uplink));
        out.add(plain.add(Tables.PORT_SECURITY, PASS, in(local).setExact(MatchField.ETH_TYPE, EthType.ARP).build(), toUplink, null));
        for (int port : tunnel.udpPorts()) {
            out.add(plain.add(Tables.PORT_SECURITY, PASS, l4(local, IpProtocol.UDP).setExact(MatchField.UDP_SRC, TransportPort.of(port))
                    .build(), toUplink, null));
        }
        for (int port : tunnel.tcpPorts()) {
            out.add(plain.add(Tables.PORT_SECURITY, PASS, l4(local, IpProtocol.TCP).setExact(MatchField.TCP_SRC, TransportPort.of(port))
                    .build(), toUplink, null));
            out.add(plain.add(Tables.PORT_SECURITY, PASS, l4(local, IpProtocol.TCP).setExact(MatchField.TCP_DST, TransportPort.of(port))
                    .build(), toUplink, null));
        }
        for (int resolver : tunnel.underlayDns()) {
            IPv4Address dns = IPv4Address.of(resolver);
            out.add(plain.add(Tables.PORT_SECURITY, PASS, l4(local, IpProtocol.UDP).setExact(MatchField.IPV4_DST, dns)
                    .setExact(MatchField.UDP_DST, TransportPort.of(53)).build(), toUplink, null));
            out.add(plain.add(Tables.PORT_SECURITY, PASS, l4(local, IpProtocol.TCP).setExact(MatchField.IPV4_DST, dns)
                    .setExact(MatchField.TCP_DST, TransportPort.of(53)).build(), toUplink, null));
        }
        out.add(plain.add(Tables.PORT_SECURITY, PASS, l4(local, IpProtocol.UDP).setExact(MatchField.UDP_SRC, TransportPort.of(68))
                .setExact(MatchField.UDP_DST, TransportPort.of(67)).build(), toUplink, null));
        out.add(plain.add(Tables.PORT_SECURITY, INFRA, in(uplink).build(), List.of(plain.output(local)), null));
        out.add(new Flows(of, LOCAL_DROPPED).add(Tables.PORT_SECURITY, INFRA, in(local).build(), List.of(), null));
        return out;
    }

    /** At a gateway: its port passes from its own MAC only, and frames to that MAC leave by it. */
    List<OFMessage> gatewayPort(OFPort port) {
        return List.of(
                plain.add(Tables.PORT_SECURITY, PASS, in(port).setExact(MatchField.ETH_SRC, gatewayPort.mac()).build(), List.of(),
                        Tables.PUNT),
                new Flows(of, GATEWAY_SPOOF).add(Tables.PORT_SECURITY, INFRA, in(port).build(), List.of(), null),
                plain.add(Tables.L2_LOOKUP, TO_GATEWAY_PORT, of.buildMatch().setExact(MatchField.ETH_DST, gatewayPort.mac()).build(),
                        List.of(plain.output(port)), null),
                plain.add(Tables.L2_LOOKUP, GATEWAY_FLOOD, in(port).build(), List.of(FloodGroup.action(of)), null, Meters.flood(port), 0));
    }

    /** What is addressed to the site MAC at a client: everything but the steering flows, which follow the choice. */
    List<OFMessage> siteMac() {
        List<OFMessage> out = new ArrayList<>();
        Flows dropped = new Flows(of, SITE_MAC_DROPPED);
        out.add(dropped.add(Tables.PUNT, SITE_ANY, toSite().build(), List.of(), null));
        out.add(dropped.add(Tables.PUNT, SITE_INSIDE, toSite().setExact(MatchField.ETH_TYPE, EthType.IPv4)
                .setMasked(MatchField.IPV4_DST, vpn()).build(), List.of(), null));
        for (IPv6AddressWithMask prefix : List.of(LINK_LOCAL, MULTICAST)) {
            out.add(dropped.add(Tables.PUNT, SITE_INSIDE, toSite().setExact(MatchField.ETH_TYPE, EthType.IPv6)
                    .setMasked(MatchField.IPV6_DST, prefix).build(), List.of(), null));
        }
        boolean dhcpAnswers = dhcp != null && dhcp.server() == tunnel.router();
        if (!dhcpAnswers) {
            out.add(ArpReplyFlows.reply(plain, ROUTER_ARP, router, siteMac, 0));
        }
        return out;
    }

    /**
     * The steering flows for {@code gateway} (null: fail closed), out of {@code overlay} (null: not
     * listed yet, fail closed too). Each replaces the flow of the same match and priority.
     */
    List<OFMessage> steering(Gateway gateway, OFPort overlay) {
        boolean open = gateway != null && overlay != null;
        List<OFMessage> out = new ArrayList<>(2);
        Match v4 = toSite().setExact(MatchField.ETH_TYPE, EthType.IPv4).build();
        Match v6 = toSite().setExact(MatchField.ETH_TYPE, EthType.IPv6).build();
        if (open) {
            Flows steer = new Flows(of, TO_GATEWAY);
            List<OFAction> toGateway = List.of(of.actions().setField(of.oxms().ethDst(gateway.mac())), steer.output(overlay));
            out.add(steer.add(Tables.PUNT, STEER, v4, toGateway, null));
            boolean carry = tunnel.ipv6() == SwitchSettings.Ipv6Policy.CARRY && gateway.ipv6();
            out.add(carry ? steer.add(Tables.PUNT, STEER, v6, toGateway, null)
                    : new Flows(of, IPV6_DROPPED).add(Tables.PUNT, STEER, v6, List.of(), null));
        } else {
            Flows closed = new Flows(of, FAIL_CLOSED);
            out.add(closed.add(Tables.PUNT, STEER, v4, List.of(), null));
            out.add(closed.add(Tables.PUNT, STEER, v6, List.of(), null));
        }
        return out;
    }

    /** The chosen gateway's DNS replies enter as the router's (the DNS responder forwarded the query to it). */
    OFMessage dnsReply(Gateway gateway, OFPort overlay) {
        List<OFAction> asRouter = List.of(of.actions().setField(of.oxms().ipv4Src(router)),
                of.actions().setField(of.oxms().ethSrc(siteMac)));
        return plain.add(Tables.PORT_SECURITY, PASS, dnsReplyMatch(gateway, overlay), asRouter, Tables.PUNT);
    }

    OFMessage dnsReplyGone(Gateway gateway, OFPort overlay) {
        return plain.deleteStrict(Tables.PORT_SECURITY, PASS, dnsReplyMatch(gateway, overlay));
    }

    /** allowLan: a host port's frames to the LAN go out of the uplink (ARP above the responder, IPv4 below the steering). */
    List<OFMessage> lanOut(OFPort host, OFPort uplink) {
        return List.of(
                plain.add(Tables.PUNT, LAN_ARP_OUT, in(host).setExact(MatchField.ETH_TYPE, EthType.ARP)
                        .setMasked(MatchField.ARP_TPA, lan()).build(), List.of(plain.output(uplink)), null),
                plain.add(Tables.PUNT, LAN_OUT, in(host).setExact(MatchField.ETH_TYPE, EthType.IPv4)
                        .setMasked(MatchField.IPV4_DST, lan()).build(), List.of(plain.output(uplink)), null));
    }

    /**
     * A host port's router solicitations, and its neighbour solicitations for the router's link-local
     * address {@code linkLocal}, to the controller under the port's packet-in meter.
     */
    List<OFMessage> routerPunt(OFPort host, IPv6Address linkLocal) {
        Match.Builder icmp = in(host).setExact(MatchField.ETH_TYPE, EthType.IPv6).setExact(MatchField.IP_PROTO, IpProtocol.IPv6_ICMP);
        Match rs = icmp.setExact(MatchField.ICMPV6_TYPE, U8.of((short) RouterAdvertisementCodec.SOLICITATION)).build();
        Match ns = in(host).setExact(MatchField.ETH_TYPE, EthType.IPv6).setExact(MatchField.IP_PROTO, IpProtocol.IPv6_ICMP)
                .setExact(MatchField.ICMPV6_TYPE, U8.of((short) NdMessage.SOLICITATION))
                .setExact(MatchField.IPV6_ND_TARGET, linkLocal).build();
        return List.of(plain.add(Tables.PUNT, ROUTER_ND, rs, List.of(plain.toController()), null, Meters.packetIn(host), 0),
                plain.add(Tables.PUNT, ROUTER_ND, ns, List.of(plain.toController()), null, Meters.packetIn(host), 0));
    }

    /** allowLan: IPv4 and ARP from the uplink addressed to a bound host's MAC reach that host. */
    List<OFMessage> lanIn(OFPort uplink, MacAddress mac, OFPort host) {
        List<OFMessage> out = new ArrayList<>(2);
        for (EthType type : List.of(EthType.IPv4, EthType.ARP)) {
            out.add(plain.add(Tables.PORT_SECURITY, LAN_IN, lanInMatch(uplink, mac, type), List.of(plain.output(host)), null));
        }
        return out;
    }

    List<OFMessage> lanInGone(OFPort uplink, MacAddress mac) {
        return List.of(plain.deleteStrict(Tables.PORT_SECURITY, LAN_IN, lanInMatch(uplink, mac, EthType.IPv4)),
                plain.deleteStrict(Tables.PORT_SECURITY, LAN_IN, lanInMatch(uplink, mac, EthType.ARP)));
    }

    /** A frame the controller sends out of {@code ports}, as from the controller. */
    OFMessage packetOut(byte[] frame, Collection<OFPort> ports) {
        return of.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                .setActions(ports.stream().map(plain::output).toList()).setData(frame).build();
    }

    /** Every flow of this manager (any sub-cookie) that matches in_port={@code port} or outputs to it. */
    List<OFMessage> portGone(OFPort port) {
        U64 mask = Cookies.MASK;
        return List.of(
                of.buildFlowDelete().setTableId(TableId.ALL).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY)
                        .setCookie(Cookies.TUNNEL).setCookieMask(mask).setMatch(in(port).build()).build(),
                of.buildFlowDelete().setTableId(TableId.ALL).setOutPort(port).setOutGroup(OFGroup.ANY)
                        .setCookie(Cookies.TUNNEL).setCookieMask(mask).setMatch(of.buildMatch().build()).build());
    }

    private Match lanInMatch(OFPort uplink, MacAddress mac, EthType type) {
        return in(uplink).setExact(MatchField.ETH_DST, mac).setExact(MatchField.ETH_TYPE, type).build();
    }

    private Match dnsReplyMatch(Gateway gateway, OFPort overlay) {
        return l4(overlay, IpProtocol.UDP).setExact(MatchField.IPV4_SRC, IPv4Address.of(gateway.address()))
                .setExact(MatchField.UDP_SRC, TransportPort.of(53)).build();
    }

    private Match.Builder in(OFPort port) {
        return of.buildMatch().setExact(MatchField.IN_PORT, port);
    }

    private Match.Builder l4(OFPort port, IpProtocol proto) {
        return in(port).setExact(MatchField.ETH_TYPE, EthType.IPv4).setExact(MatchField.IP_PROTO, proto);
    }

    private Match.Builder toSite() {
        return of.buildMatch().setExact(MatchField.ETH_DST, siteMac);
    }

    private IPv4AddressWithMask vpn() {
        return IPv4AddressWithMask.of(IPv4Address.of(tunnel.vpnSubnet()), IPv4Address.ofCidrMaskLength(tunnel.vpnPrefix()));
    }

    private IPv4AddressWithMask lan() {
        return IPv4AddressWithMask.of(IPv4Address.of(tunnel.lanSubnet()), IPv4Address.ofCidrMaskLength(tunnel.lanPrefix()));
    }
}
