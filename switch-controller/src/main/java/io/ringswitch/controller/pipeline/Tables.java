package io.ringswitch.controller.pipeline;

import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.types.TableId;

/**
 * The bridge's flow tables, in the order a frame meets them (OVN's logical-switch ingress
 * pipeline and Faucet's tables are the model):
 *
 * <pre>
 * 0 PORT_SECURITY  frames from the overlay port and trusted ports pass; a local port passes only
 *                  frames from the MAC bound to it, and IP/ARP/ND only from addresses bound to it
 *                  (DHCP DISCOVER/REQUEST from 0.0.0.0 and IPv6 DAD from :: excepted); a frame from
 *                  an unknown source goes to the controller (metered) to be bound or refused; a group
 *                  source MAC is dropped everywhere.
 * 1 PUNT           ARP requests for known addresses are answered here (OVN's ARP responder: the
 *                  request is turned into the reply in place and leaves by IN_PORT); DHCP to a server,
 *                  IGMP and MLD go to the controller and nowhere else; DHCP server replies from
 *                  untrusted ports are dropped; misses (ARP, ND for unknown addresses) go to the
 *                  controller under the port's packet-in meter. The miss flow measures what goes on
 *                  (the MTU manager replaces it): check_pkt_larger(overlay MTU + 14) into reg5 bit 0.
 * 2 L2_LOOKUP      known destination MACs: local ones out of their port; unicast UDP/ICMP from a local
 *                  port with reg5 bit 0 set (larger than the overlay MTU) to the controller (metered),
 *                  which answers ICMP "too big"; remote ones out of the
 *                  overlay port; IP multicast goes on to MULTICAST; broadcast and unknown unicast
 *                  flood under the ingress port's storm meter (frames from the overlay port flood to
 *                  local ports only). Every flood goes through {@link FloodGroup}, which names the
 *                  local ports and the overlay port and never an infrastructure port.
 * 3 MULTICAST      link-local groups reach every port; other IP groups go to their OpenFlow group
 *                  (type ALL: a bucket per member port, plus the overlay port while other sites have
 *                  members); groups without members here go to the overlay port only (from a local
 *                  port) or nowhere (from the overlay port).
 * </pre>
 * A full tunnel ({@code SwitchSettings.Tunnel}, the tunnel manager, cookie TUNNEL) adds, above the
 * flows of each table:
 * <pre>
 * 0  the uplink and the local (underlay) port talk only to each other: the node's own UDP/TCP and
 *    ARP from the local port out of the uplink, anything from the uplink to the local port, the rest
 *    dropped; a gateway port passes from its own MAC with any IP source; DNS replies from the chosen
 *    gateway's address come in through the overlay port re-addressed from the site's router address
 * 1  DNS to the router address goes to the controller (the DNS responder, cookie DNS); a frame to
 *    the site MAC for an address outside the VPN is re-addressed to the chosen gateway's MAC and
 *    leaves by the overlay port, or is dropped while no gateway answers (every EtherType)
 * 2  at a gateway, frames to the gateway port's MAC leave by that port
 * </pre>
 */
public final class Tables {
    public static final TableId PORT_SECURITY = TableId.of(0);
    public static final TableId PUNT = TableId.of(1);
    public static final TableId L2_LOOKUP = TableId.of(2);
    public static final TableId MULTICAST = TableId.of(3);

    /** The priority of the pipeline's own table-miss flows; a manager's catch-all flow uses 1 or more. */
    public static final int PRIO_MISS = 0;

    private Tables() {
    }

    /**
     * The pipeline's own table-miss flows (cookie {@link Cookies#PIPELINE}, priority {@link #PRIO_MISS}):
     * a frame that no manager's flow in PORT_SECURITY or PUNT takes goes on to the next table; a miss
     * in L2_LOOKUP or MULTICAST drops (OpenFlow 1.3's default). Installed once per connection, before
     * the managers' flows.
     */
    public static List<OFMessage> missFlows(OFFactory of) {
        Flows flows = new Flows(of, Cookies.PIPELINE);
        Match any = of.buildMatch().build();
        return List.of(flows.add(PORT_SECURITY, PRIO_MISS, any, List.of(), PUNT),
                flows.add(PUNT, PRIO_MISS, any, List.of(), L2_LOOKUP));
    }
}
