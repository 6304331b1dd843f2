package io.ringswitch.controller.pipeline;

import java.net.InetAddress;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The hosts manager as the other managers use it: which MAC and addresses each local port owns.
 * Port security, the ARP/ND responder and the L2 table follow from these bindings.
 */
public interface HostBindings {

    /** The DHCP server granted {@code ip} to {@code mac} on {@code port}: bind it (flows to send). */
    List<OFMessage> leased(OFPort port, MacAddress mac, InetAddress ip);

    /** The lease ended (released, expired, declined): unbind the address (flows to send). */
    List<OFMessage> leaseEnded(OFPort port, MacAddress mac, InetAddress ip);

    /** The port the MAC is bound to here, or null. */
    OFPort portOf(MacAddress mac);

    /** The MAC bound to the port, or null (the first one when a trusted port has several). */
    MacAddress macOf(OFPort port);
}
