package io.ringswitch.controller.hosts;

import java.net.InetAddress;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * What follows from the host bindings of {@link HostManager}: port security, the ARP/ND responder
 * and the L2 table each turn binding events into their own flows. On a switch (re)connect the host
 * manager replays every binding, so a listener needs no copy of the bindings to rebuild its flows.
 * Every method returns the messages to send.
 */
public interface HostListener {

    /** {@code mac} now belongs to {@code port}. */
    default List<OFMessage> macBound(OFPort port, MacAddress mac) {
        return List.of();
    }

    /** {@code mac} no longer belongs to {@code port} (its addresses were unbound first). */
    default List<OFMessage> macUnbound(OFPort port, MacAddress mac) {
        return List.of();
    }

    /** {@code ip} (IPv4 or IPv6) now belongs to {@code mac} on {@code port}. */
    default List<OFMessage> addressBound(OFPort port, MacAddress mac, InetAddress ip) {
        return List.of();
    }

    /** {@code ip} no longer belongs to {@code mac} on {@code port}. */
    default List<OFMessage> addressUnbound(OFPort port, MacAddress mac, InetAddress ip) {
        return List.of();
    }

    /** {@code mac} appeared on {@code port}, but it belongs to another port or site: refused. */
    default List<OFMessage> macRefused(OFPort port, MacAddress mac) {
        return List.of();
    }

    /** {@code mac} on {@code port} claimed {@code ip}, which belongs to somebody else: refused. */
    default List<OFMessage> addressRefused(OFPort port, MacAddress mac, InetAddress ip) {
        return List.of();
    }
}
