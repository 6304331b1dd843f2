package io.ringswitch.controller.dhcp;

import io.ringswitch.controller.arp.ArpReplyFlows;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.Tables;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;

/**
 * The DHCP manager's flows in table {@link Tables#PUNT}, a pure translation from the ports the
 * switch has to FLOW_MODs under the DHCP cookie. Priorities, highest first:
 *
 * <pre>
 * 260  ARP request for the server's address         answered in place ({@link ArpReplyFlows}), out of IN_PORT
 * 250  from the overlay port, UDP to 67 or to 68    drop: nothing DHCP crosses the ring
 * 240  from a local port, UDP to 67                 controller, under the port's packet-in meter (server on)
 * 235  from a trusted port, UDP 67 to 68            on to L2_LOOKUP (a router's or nested switch's server)
 * 230  from an untrusted local port, UDP 67 to 68   controller, metered: a rogue server, counted and dropped
 * 220  UDP 67 to 68 from any other port             drop (a port not listed yet is untrusted)
 * 210  UDP to 67 from any other port                drop (server on: DHCP reaches no host)
 *   1  to the server's MAC, nothing above           drop (server on)
 * </pre>
 */
final class DhcpFlows {
    static final int SERVER_ARP = 260;
    static final int FROM_OVERLAY = 250;
    static final int REQUEST = 240;
    static final int TRUSTED_SERVER = 235;
    static final int ROGUE_SERVER = 230;
    static final int ANY_SERVER = 220;
    static final int ANY_REQUEST = 210;
    static final int TO_SERVER_MAC = 1;

    private final Flows flows;
    private final OFFactory of;
    private final MacAddress serverMac;
    /** The server's address, or null when this site runs no DHCP server. */
    private final IPv4Address server;

    DhcpFlows(Flows flows, MacAddress serverMac, IPv4Address server) {
        this.flows = flows;
        this.of = flows.factory();
        this.serverMac = serverMac;
        this.server = server;
    }

    /** The flows that hold whatever ports the switch has. */
    List<OFMessage> base() {
        List<OFMessage> out = new ArrayList<>();
        out.add(flows.add(Tables.PUNT, ANY_SERVER, udp(null, DhcpFrames.SERVER_PORT, DhcpFrames.CLIENT_PORT), List.of(), null));
        if (server != null) {
            out.add(flows.add(Tables.PUNT, ANY_REQUEST, udp(null, 0, DhcpFrames.SERVER_PORT), List.of(), null));
            out.add(flows.add(Tables.PUNT, TO_SERVER_MAC, of.buildMatch().setExact(MatchField.ETH_DST, serverMac).build(),
                    List.of(), null));
            out.add(ArpReplyFlows.reply(flows, SERVER_ARP, server, serverMac, 0));
        }
        return out;
    }

    /** The flows of one port: the overlay port's drops, or a local port's punt and server-reply rule. */
    List<OFMessage> port(OFPort port, boolean overlay, boolean trusted) {
        if (overlay) {
            return List.of(
                    flows.add(Tables.PUNT, FROM_OVERLAY, udp(port, 0, DhcpFrames.SERVER_PORT), List.of(), null),
                    flows.add(Tables.PUNT, FROM_OVERLAY, udp(port, 0, DhcpFrames.CLIENT_PORT), List.of(), null));
        }
        List<OFMessage> out = new ArrayList<>(2);
        long meter = Meters.packetIn(port);
        if (server != null) {
            out.add(flows.add(Tables.PUNT, REQUEST, udp(port, 0, DhcpFrames.SERVER_PORT), List.of(flows.toController()),
                    null, meter, 0));
        }
        Match reply = udp(port, DhcpFrames.SERVER_PORT, DhcpFrames.CLIENT_PORT);
        out.add(trusted
                ? flows.add(Tables.PUNT, TRUSTED_SERVER, reply, List.of(), Tables.L2_LOOKUP)
                : flows.add(Tables.PUNT, ROGUE_SERVER, reply, List.<OFAction>of(flows.toController()), null, meter, 0));
        return out;
    }

    /** Deletes the flows of a port that left the bridge. */
    OFMessage portGone(OFPort port) {
        return flows.delete(Tables.PUNT, of.buildMatch().setExact(MatchField.IN_PORT, port).build());
    }

    /** UDP from {@code in} (null: any port), from source port {@code src} (0: any) to {@code dst}. */
    private Match udp(OFPort in, int src, int dst) {
        Match.Builder m = of.buildMatch();
        if (in != null) {
            m.setExact(MatchField.IN_PORT, in);
        }
        m.setExact(MatchField.ETH_TYPE, EthType.IPv4).setExact(MatchField.IP_PROTO, IpProtocol.UDP);
        if (src != 0) {
            m.setExact(MatchField.UDP_SRC, TransportPort.of(src));
        }
        return m.setExact(MatchField.UDP_DST, TransportPort.of(dst)).build();
    }
}
