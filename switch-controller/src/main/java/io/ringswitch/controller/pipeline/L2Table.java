package io.ringswitch.controller.pipeline;

import java.util.List;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The L2_LOOKUP table as the hosts manager feeds it: which MAC sits behind which local port.
 * Remote MACs come from the site directory, not from here. Calls come on the switch channel's thread.
 */
public interface L2Table {

    /** {@code mac} is bound to local {@code port} (new, or moved from another port): frames to it leave there. */
    List<OFMessage> localHost(MacAddress mac, OFPort port);

    /** {@code mac} is no longer on any local port: frames to it flood again (or reach its remote site). */
    List<OFMessage> localHostGone(MacAddress mac);
}
