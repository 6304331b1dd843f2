package io.ringswitch.controller.hosts;

import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.Tables;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.IPv6AddressWithMask;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U8;

/**
 * The PORT_SECURITY table's rules for one port, MAC or address, as data (table 0 of
 * {@link Tables}; OVN's ls_in_port_sec_l2/ip/nd are the model). Adding and removing a binding
 * installs and deletes exactly the same list, so the two never drift apart.
 *
 * <p>Priorities, highest first; the drop rules have their own priorities so that their packet
 * counts can be read as counters ({@link #DROP_PRIORITIES}):
 * <pre>
 * 1000 GROUP_SOURCE_DROP   eth_src with the group bit                          drop (counted)
 *  900 PASS                the overlay port, trusted ports                       -> PUNT
 *  850 NA_BOUND            a neighbour advertisement from P's MAC for a bound or link-local target -> PUNT
 *  845 NA_REFUSED_DROP     an advertisement from P's MAC for a target refused to it (30 s)  drop (counted)
 *  840 NA_UNBOUND          any other advertisement from P's MAC (it claims its target) -> CONTROLLER (packet-in meter)
 *  810 DAD                 ND NS from :: for a bound or link-local target        -> PUNT
 *  800 BOUND               ARP/IPv4/IPv6 from P's MAC with a bound source address,
 *                          ARP probes (spa 0.0.0.0), DHCP from 0.0.0.0:68 to 255.255.255.255:67,
 *                          IPv6 from fe80::/10, MLDv2 reports from ::              -> PUNT
 *  750 REFUSED_DROP        ARP/IPv4/IPv6 from P's MAC with an address refused to it (30 s)  drop (counted)
 *  700 UNBOUND_PUNT        ARP, IPv4, ND NS/NA from P's MAC, other sender          -> CONTROLLER (packet-in meter)
 *  600 SPOOF_DROP          any other ARP, IPv4 or IPv6 from P's MAC               drop (counted)
 *  550 L2_PASS             other EtherTypes from P's MAC (LLDP, raw layer-2 protocols) -> PUNT
 *  510 FULL_DROP           any other MAC on P once P has its macsPerPort MACs   drop (counted)
 *  500 UNKNOWN_SOURCE_PUNT any other MAC on P                                   -> CONTROLLER (packet-in meter)
 * </pre>
 * Link-local IPv6 passes from a bound MAC without a binding of its own: link-locals made by RFC 7217
 * (stable privacy, the default of many distributions) cannot be derived from the MAC, they never
 * leave the link, and the responder answers only for bound addresses.
 */
final class PortSecurityRules {
    static final int GROUP_SOURCE_DROP = 1000;
    static final int PASS = 900;
    static final int NA_BOUND = 850;
    static final int NA_UNBOUND = 840;
    static final int DAD = 810;
    static final int BOUND = 800;
    static final int REFUSED_DROP = 750;
    static final int UNBOUND_PUNT = 700;
    static final int SPOOF_DROP = 600;
    /** Above NA_UNBOUND, so that a refused target is dropped in the datapath rather than asked about again. */
    static final int NA_REFUSED_DROP = 845;
    static final int L2_PASS = 550;
    static final int FULL_DROP = 510;
    static final int UNKNOWN_SOURCE_PUNT = 500;
    /** The priorities of the flows whose packet counts make "spoof_dropped". */
    static final List<Integer> DROP_PRIORITIES = List.of(GROUP_SOURCE_DROP, NA_REFUSED_DROP, REFUSED_DROP, SPOOF_DROP,
            FULL_DROP);
    /** How long a refused address stays dropped without asking the controller again. */
    static final int REFUSED_SECONDS = 30;
    /**
     * How long a refused MAC stays dropped: short, since a host that moved here from a site that has
     * not withdrawn it yet (its node restarting) is refused until the old value runs out.
     */
    static final int REFUSED_MAC_SECONDS = 5;

    private static final IPv6AddressWithMask LINK_LOCAL = IPv6AddressWithMask.of("fe80::/10");
    private static final MacAddress GROUP_BIT = MacAddress.of("01:00:00:00:00:00");
    private static final int MLDV2_REPORT = 143;
    private static final IPv4Address BROADCAST = IPv4Address.of("255.255.255.255");

    /** One flow of the table: what it matches, what it does (no actions and no next table: drop). */
    record Rule(int priority, Match match, List<OFAction> actions, TableId next, long meter) {
    }

    private final OFFactory of;

    PortSecurityRules(OFFactory of) {
        this.of = of;
    }

    Rule groupSourceDrop() {
        return new Rule(GROUP_SOURCE_DROP, of.buildMatch().setMasked(MatchField.ETH_SRC, GROUP_BIT, GROUP_BIT).build(),
                List.of(), null, 0);
    }

    /** The overlay port and trusted ports: everything goes on to PUNT. */
    Rule pass(OFPort port) {
        return new Rule(PASS, of.buildMatch().setExact(MatchField.IN_PORT, port).build(), List.of(), Tables.PUNT, 0);
    }

    /** A source MAC this untrusted port has not got: to the controller, or dropped once the port is full. */
    Rule unknownSource(OFPort port, boolean full) {
        Match match = of.buildMatch().setExact(MatchField.IN_PORT, port).build();
        return full ? new Rule(FULL_DROP, match, List.of(), null, 0) : punt(UNKNOWN_SOURCE_PUNT, port, match);
    }

    /** What a bound MAC may send before any of its addresses is bound. */
    List<Rule> mac(OFPort port, MacAddress mac) {
        List<Rule> rules = new ArrayList<>();
        rules.add(pass(BOUND, arp(port, mac).setExact(MatchField.ARP_SPA, IPv4Address.NONE).build()));
        rules.add(pass(BOUND, ipv4(port, mac).setExact(MatchField.IP_PROTO, IpProtocol.UDP)
                .setExact(MatchField.IPV4_SRC, IPv4Address.NONE).setExact(MatchField.IPV4_DST, BROADCAST)
                .setExact(MatchField.UDP_SRC, TransportPort.of(68)).setExact(MatchField.UDP_DST, TransportPort.of(67))
                .build()));
        rules.add(pass(BOUND, ipv6(port, mac).setMasked(MatchField.IPV6_SRC, LINK_LOCAL.getValue(), LINK_LOCAL.getMask())
                .build()));
        rules.add(pass(BOUND, icmpv6(port, mac, MLDV2_REPORT).setExact(MatchField.IPV6_SRC, IPv6Address.NONE).build()));
        rules.add(pass(DAD, dad(port, mac).setMasked(MatchField.IPV6_ND_TARGET, LINK_LOCAL.getValue(),
                LINK_LOCAL.getMask()).build()));
        // An advertisement says "the target is at this MAC", whatever its source: a link-local source
        // must not carry a claim for another host's address (ND spoofing, as a gratuitous ARP is).
        rules.add(pass(NA_BOUND, advertisement(port, mac).setMasked(MatchField.IPV6_ND_TARGET, LINK_LOCAL.getValue(),
                LINK_LOCAL.getMask()).build()));
        rules.add(punt(NA_UNBOUND, port, advertisement(port, mac).build()));
        rules.add(punt(UNBOUND_PUNT, port, arp(port, mac).build()));
        rules.add(punt(UNBOUND_PUNT, port, ipv4(port, mac).build()));
        rules.add(punt(UNBOUND_PUNT, port, icmpv6(port, mac, 135).build()));
        rules.add(punt(UNBOUND_PUNT, port, icmpv6(port, mac, 136).build()));
        rules.add(new Rule(SPOOF_DROP, arp(port, mac).build(), List.of(), null, 0));
        rules.add(new Rule(SPOOF_DROP, ipv4(port, mac).build(), List.of(), null, 0));
        rules.add(new Rule(SPOOF_DROP, ipv6(port, mac).build(), List.of(), null, 0));
        // Layer-2 applications must see one LAN: what carries no address to check passes from the port's MAC.
        rules.add(pass(L2_PASS, source(port, mac).build()));
        return rules;
    }

    /** What a bound address lets its MAC send. */
    List<Rule> address(OFPort port, MacAddress mac, InetAddress ip) {
        if (ip instanceof Inet4Address v4) {
            IPv4Address a = IPv4Address.of(v4);
            return List.of(pass(BOUND, arp(port, mac).setExact(MatchField.ARP_SPA, a).build()),
                    pass(BOUND, ipv4(port, mac).setExact(MatchField.IPV4_SRC, a).build()));
        }
        IPv6Address a = IPv6Address.of((Inet6Address) ip);
        return List.of(pass(BOUND, ipv6(port, mac).setExact(MatchField.IPV6_SRC, a).build()),
                pass(DAD, dad(port, mac).setExact(MatchField.IPV6_ND_TARGET, a).build()),
                pass(NA_BOUND, advertisement(port, mac).setExact(MatchField.IPV6_ND_TARGET, a).build()));
    }

    /** A MAC refused on a port: its frames are dropped there for a while instead of asking the directory again. */
    Rule refusedMac(OFPort port, MacAddress mac) {
        return new Rule(REFUSED_DROP, source(port, mac).build(), List.of(), null, 0);
    }

    /** An address refused to a MAC: its frames are dropped here for a while instead of asking again. */
    List<Rule> refused(OFPort port, MacAddress mac, InetAddress ip) {
        if (ip instanceof Inet4Address v4) {
            IPv4Address a = IPv4Address.of(v4);
            return List.of(new Rule(REFUSED_DROP, arp(port, mac).setExact(MatchField.ARP_SPA, a).build(), List.of(), null, 0),
                    new Rule(REFUSED_DROP, ipv4(port, mac).setExact(MatchField.IPV4_SRC, a).build(), List.of(), null, 0));
        }
        IPv6Address a = IPv6Address.of((Inet6Address) ip);
        return List.of(new Rule(REFUSED_DROP, ipv6(port, mac).setExact(MatchField.IPV6_SRC, a).build(), List.of(), null, 0),
                new Rule(REFUSED_DROP, dad(port, mac).setExact(MatchField.IPV6_ND_TARGET, a).build(), List.of(), null, 0),
                new Rule(NA_REFUSED_DROP, advertisement(port, mac).setExact(MatchField.IPV6_ND_TARGET, a).build(), List.of(),
                        null, 0));
    }

    private Rule pass(int priority, Match match) {
        return new Rule(priority, match, List.of(), Tables.PUNT, 0);
    }

    private Rule punt(int priority, OFPort port, Match match) {
        return new Rule(priority, match, List.of(of.actions().output(OFPort.CONTROLLER, 0xffff)), null,
                Meters.packetIn(port));
    }

    private Match.Builder source(OFPort port, MacAddress mac) {
        return of.buildMatch().setExact(MatchField.IN_PORT, port).setExact(MatchField.ETH_SRC, mac);
    }

    private Match.Builder arp(OFPort port, MacAddress mac) {
        return source(port, mac).setExact(MatchField.ETH_TYPE, EthType.ARP);
    }

    private Match.Builder ipv4(OFPort port, MacAddress mac) {
        return source(port, mac).setExact(MatchField.ETH_TYPE, EthType.IPv4);
    }

    private Match.Builder ipv6(OFPort port, MacAddress mac) {
        return source(port, mac).setExact(MatchField.ETH_TYPE, EthType.IPv6);
    }

    private Match.Builder icmpv6(OFPort port, MacAddress mac, int type) {
        return ipv6(port, mac).setExact(MatchField.IP_PROTO, IpProtocol.IPv6_ICMP)
                .setExact(MatchField.ICMPV6_TYPE, U8.of((short) type));
    }

    /** A neighbour advertisement (RFC 4861 §4.4); OVS reads nd_target only with ICMPv6 code 0. */
    private Match.Builder advertisement(OFPort port, MacAddress mac) {
        return icmpv6(port, mac, 136).setExact(MatchField.ICMPV6_CODE, U8.of((short) 0));
    }

    /** A duplicate address detection probe (RFC 4862 §5.4.2): NS from ::; nd_target needs code 0 in OVS. */
    private Match.Builder dad(OFPort port, MacAddress mac) {
        return icmpv6(port, mac, 135).setExact(MatchField.ICMPV6_CODE, U8.of((short) 0))
                .setExact(MatchField.IPV6_SRC, IPv6Address.NONE);
    }
}
