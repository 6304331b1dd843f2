package io.ringswitch.controller.hosts;

import io.ringswitch.controller.pipeline.L2Table;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/** Tells the L2 table (the forwarding manager) which MACs the host manager bound to which local port. */
public final class L2TableFeed implements HostListener {
    private final L2Table l2;

    public L2TableFeed(L2Table l2) {
        this.l2 = l2;
    }

    @Override
    public List<OFMessage> macBound(OFPort port, MacAddress mac) {
        return l2.localHost(mac, port);
    }

    @Override
    public List<OFMessage> macUnbound(OFPort port, MacAddress mac) {
        return l2.localHostGone(mac);
    }
}
