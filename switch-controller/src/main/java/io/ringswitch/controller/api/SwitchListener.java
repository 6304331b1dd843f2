package io.ringswitch.controller.api;

import org.projectfloodlight.openflow.types.DatapathId;

/** Told when a switch finishes its handshake and when its channel closes. */
public interface SwitchListener {

    void switchConnected(DatapathId dpid);

    void switchDisconnected(DatapathId dpid);
}
