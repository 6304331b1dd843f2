package io.ringswitch.overlay;

import io.ringswitch.controller.api.SwitchListener;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the controller's word that the site's bridge came or went into a line of the node's log,
 * naming the bridge as configured. Split out of {@link OverlayNode}, whose logger it keeps.
 */
final class BridgeLog implements SwitchListener {
    private static final Logger log = LoggerFactory.getLogger(OverlayNode.class);
    private final String bridge;

    BridgeLog(String bridge) {
        this.bridge = bridge;
    }

    @Override
    public void switchConnected(DatapathId dpid) {
        log.info("bridge {} ({}) is under control", bridge, dpid);
    }

    @Override
    public void switchDisconnected(DatapathId dpid) {
        log.warn("bridge {} ({}) disconnected; waiting for it to reconnect", bridge, dpid);
    }
}
