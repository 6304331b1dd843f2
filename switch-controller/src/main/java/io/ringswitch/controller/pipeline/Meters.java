package io.ringswitch.controller.pipeline;

import org.projectfloodlight.openflow.types.OFPort;

/** Meter ids (OpenFlow 1.3 §7.3.4.4): two per local port, one for flooding and one for packet-ins. */
public final class Meters {
    private Meters() {
    }

    /** The meter that limits what {@code port} may flood (broadcast, non-IP multicast, unknown unicast). */
    public static long flood(OFPort port) {
        return 1 + 2L * port.getPortNumber();
    }

    /** The meter that limits what {@code port} may send to the controller. */
    public static long packetIn(OFPort port) {
        return 2 + 2L * port.getPortNumber();
    }
}
