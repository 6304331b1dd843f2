package io.ringswitch.controller.api;

import java.util.List;

/**
 * A snapshot of the controller for status output.
 *
 * @param switches        datapath ids of the switches with a finished handshake
 * @param overlayPort     OpenFlow port number of the overlay port, or -1 while unknown
 * @param learnedMacs     MAC addresses currently learned
 * @param packetIns       PACKET_IN messages handled
 * @param flowMods        FLOW_MOD messages sent
 * @param malformed       messages rejected as malformed (the channel was closed)
 * @param badVersion      handshakes or messages rejected for their OpenFlow version
 * @param switchErrors    ERROR messages received from switches
 * @param handshakes      handshakes completed since start
 */
public record ControllerStatus(List<String> switches, int overlayPort, int learnedMacs, long packetIns,
                               long flowMods, long malformed, long badVersion, long switchErrors,
                               long handshakes) {
}
